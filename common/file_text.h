#pragma once
// Reading a whole file (text or binary) into memory, as every loader does before parsing, and
// writing one, as every report does.
#include <optional>
#include <string>

namespace npu {

// The file's bytes, or nothing when it cannot be opened (the caller names its own error).
std::optional<std::string> try_read_file(const std::string& path);

// The file's bytes, or an Error of type E: "<path>: cannot open file".
template <class E>
std::string read_file_or_throw(const std::string& path) {
    std::optional<std::string> bytes = try_read_file(path);
    if (!bytes) throw E(path + ": cannot open file");
    return std::move(*bytes);
}

// Writes `text` to `path` ("-": stdout); an Error naming the file when it cannot be opened, is a
// directory, or did not receive every byte (a full disk).
void write_file(const std::string& path, const std::string& text);
// The same without throwing: "" when every byte arrived, else the message. For writes after a
// SystemC simulation ran: an exception thrown then unwinds frames AddressSanitizer has lost
// track of (SystemC's coroutine stacks), and the sanitizer build reports false stack
// overflows; the commands report these errors by return value instead.
std::string try_write_file(const std::string& path, const std::string& text);

}  // namespace npu

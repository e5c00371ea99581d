#include "common/file_text.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/error.h"

namespace npu {

std::optional<std::string> try_read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string try_write_file(const std::string& path, const std::string& text) {
    if (path == "-") {
        std::cout << text << std::flush;
        return std::cout ? "" : "stdout: write failed";
    }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return fmt::format("{}: is a directory, not a file", path);
    std::ofstream out(path, std::ios::binary);
    if (!out) return fmt::format("{}: cannot open for writing", path);
    out << text;
    out.close();  // a full disk shows when the buffer is flushed: close before checking
    return out.fail() ? fmt::format("{}: write failed (disk full?)", path) : "";
}

void write_file(const std::string& path, const std::string& text) {
    if (const std::string error = try_write_file(path, text); !error.empty()) throw Error(error);
}

}  // namespace npu

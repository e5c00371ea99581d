#pragma once
// A file's bytes mapped into memory, read-only: pages are read from disk (or the page cache) only
// when touched, so a reader that skips most of a large file (an ONNX model's weights in a
// timing-only run) costs what it reads, not the file's size.
#include <string>
#include <string_view>

namespace npu {

class MappedFile {
public:
    // An Error of type E, "<path>: cannot open file", when it cannot be opened or mapped.
    template <class E>
    static MappedFile open_or_throw(const std::string& path) {
        MappedFile f;
        if (!f.open(path)) throw E(path + ": cannot open file");
        return f;
    }
    MappedFile() = default;
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    std::string_view bytes() const { return {static_cast<const char*>(m_data), m_size}; }

private:
    bool open(const std::string& path);
    void close();
    void* m_data = nullptr;
    size_t m_size = 0;
};

}  // namespace npu

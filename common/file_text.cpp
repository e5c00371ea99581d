#include "common/file_text.h"

#include <fstream>
#include <sstream>

namespace npu {

std::optional<std::string> try_read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace npu

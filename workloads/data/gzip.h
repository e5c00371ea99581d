#pragma once
// Gzip inflation for data files (Debian ships the data sets gzip-compressed).
#include <cstddef>
#include <string>

namespace npu {

// Inflates gzip data, refusing to grow past `max_bytes` (a small file may claim gigabytes); a
// corrupt or oversized stream is a WorkloadError naming `source` (and `hint` for the size).
std::string gunzip(const std::string& in, size_t max_bytes, const std::string& source, const std::string& hint);
// Whether `bytes` starts with the gzip magic number.
inline bool is_gzip(const std::string& bytes) {
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
           static_cast<unsigned char>(bytes[1]) == 0x8b;
}

}  // namespace npu

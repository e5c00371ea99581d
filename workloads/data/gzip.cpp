#include "workloads/data/gzip.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>

#include "common/error.h"

namespace npu {

std::string gunzip(const std::string& in, size_t max_bytes, const std::string& source, const std::string& hint) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) throw WorkloadError(fmt::format("{}: cannot start gzip decoding", source));
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(std::min<size_t>(in.size(), UINT32_MAX));
    std::string out;
    char chunk[1 << 16];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof(chunk);
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&z);
            throw WorkloadError(fmt::format("{}: corrupt gzip data ({})", source,
                                            rc == Z_BUF_ERROR ? "truncated"
                                            : z.msg           ? z.msg
                                                              : "inflate failed"));
        }
        out.append(chunk, sizeof(chunk) - z.avail_out);
        if (out.size() > max_bytes) {
            inflateEnd(&z);
            throw WorkloadError(fmt::format("{}: inflates to more than {} bytes {}", source, max_bytes, hint));
        }
    }
    inflateEnd(&z);
    return out;
}

}  // namespace npu

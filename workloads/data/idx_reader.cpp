#include "workloads/data/idx_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "common/error.h"
#include "common/file_text.h"
#include "common/limits.h"
#include "workloads/data/gzip.h"

namespace npu {

namespace {

size_t bytes_of(IdxType t) {
    switch (t) {
        case IdxType::U8:
        case IdxType::I8: return 1;
        case IdxType::I16: return 2;
        case IdxType::I32:
        case IdxType::F32: return 4;
        case IdxType::F64: return 8;
    }
    return 0;
}

bool known_type(uint8_t code) {
    for (IdxType t : {IdxType::U8, IdxType::I8, IdxType::I16, IdxType::I32, IdxType::F32, IdxType::F64})
        if (code == uint8_t(t)) return true;
    return false;
}

constexpr size_t kMaxHeaderBytes = 4 + 4 * 255;

}  // namespace

int64_t IdxArray::elements() const {
    int64_t n = 1;
    for (int64_t d : dims) n = saturating_mul(n, d);
    return n;
}

size_t IdxArray::element_bytes() const { return bytes_of(type); }

double IdxArray::value(size_t i) const {
    const uint8_t* p = bytes.data() + i * element_bytes();
    switch (type) {
        case IdxType::U8: return *p;
        case IdxType::I8: return int8_t(*p);
        case IdxType::I16: {
            int16_t v;
            std::memcpy(&v, p, 2);
            return v;
        }
        case IdxType::I32: {
            int32_t v;
            std::memcpy(&v, p, 4);
            return v;
        }
        case IdxType::F32: {
            float v;
            std::memcpy(&v, p, 4);
            return v;
        }
        case IdxType::F64: {
            double v;
            std::memcpy(&v, p, 8);
            return v;
        }
    }
    return 0.0;
}

const char* idx_type_name(IdxType t) {
    switch (t) {
        case IdxType::U8: return "uint8";
        case IdxType::I8: return "int8";
        case IdxType::I16: return "int16";
        case IdxType::I32: return "int32";
        case IdxType::F32: return "float32";
        case IdxType::F64: return "float64";
    }
    return "?";
}

IdxArray parse_idx(const std::string& file, const std::string& source, const Limits& limits) {
    const bool gzip = is_gzip(file);
    const size_t max_bytes = size_t(limits.tensor_elements) * 8 + kMaxHeaderBytes;
    const std::string data = gzip ? gunzip(file, max_bytes, source, limits.hint("tensor_elements")) : file;
    auto byte = [&](size_t i) { return uint8_t(data[i]); };
    if (data.size() < 4 || byte(0) != 0 || byte(1) != 0)
        throw WorkloadError(
            fmt::format("{}: not an IDX file (it must start with two zero bytes, a type and a rank)", source));
    if (!known_type(byte(2)))
        throw WorkloadError(
            fmt::format("{}: unknown IDX element type 0x{:02x} (0x08 uint8, 0x09 int8, 0x0b int16, "
                        "0x0c int32, 0x0d float32, 0x0e float64)",
                        source, byte(2)));
    IdxArray a;
    a.type = IdxType(byte(2));
    const size_t rank = byte(3);
    if (rank == 0) throw WorkloadError(fmt::format("{}: IDX rank 0 (no dimensions)", source));
    const size_t header = 4 + 4 * rank;
    if (data.size() < header)
        throw WorkloadError(fmt::format("{}: truncated header: rank {} needs {} bytes, the file has {}", source, rank,
                                        header, data.size()));
    for (size_t d = 0; d < rank; ++d) {
        const size_t at = 4 + 4 * d;
        a.dims.push_back(int64_t(uint32_t(byte(at)) << 24 | uint32_t(byte(at + 1)) << 16 | uint32_t(byte(at + 2)) << 8 |
                                 uint32_t(byte(at + 3))));
    }
    const int64_t elements = a.elements();
    if (elements > limits.tensor_elements)
        throw WorkloadError(fmt::format("{}: {} {} elements {}", source, fmt::join(a.dims, "x"), idx_type_name(a.type),
                                        limits.hint("tensor_elements")));
    const size_t expected = header + size_t(elements) * a.element_bytes();
    if (data.size() != expected)
        throw WorkloadError(
            fmt::format("{}: the header says {} {} ({} bytes with the header) but the file holds {} bytes", source,
                        fmt::join(a.dims, "x"), idx_type_name(a.type), expected, data.size()));
    a.bytes.resize(size_t(elements) * a.element_bytes());
    const size_t width = a.element_bytes();
    for (size_t i = 0; i < size_t(elements); ++i)  // big-endian to host (little-endian) order
        for (size_t b = 0; b < width; ++b) a.bytes[i * width + b] = byte(header + i * width + (width - 1 - b));
    return a;
}

IdxArray read_idx_file(const std::string& path, const Limits& limits) {
    return parse_idx(read_file_or_throw<WorkloadError>(path), path, limits);
}

}  // namespace npu

#pragma once
// IDX files, the format of MNIST and Fashion-MNIST (yann.lecun.com/exdb/mnist): two zero bytes,
// an element type (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the
// number of dimensions, each dimension as a big-endian uint32, then the elements, big-endian, in
// row-major order. Gzip-compressed files (as Debian's dataset-fashion-mnist ships them) are
// inflated on the way in. Every malformed file is a WorkloadError naming the file and what is
// wrong; sizes are checked against the header and the limits before anything is allocated.
#include <cstdint>
#include <string>
#include <vector>

#include "common/limits.h"

namespace npu {

enum class IdxType : uint8_t { U8 = 0x08, I8 = 0x09, I16 = 0x0B, I32 = 0x0C, F32 = 0x0D, F64 = 0x0E };

struct IdxArray {
    IdxType type = IdxType::U8;
    std::vector<int64_t> dims;
    std::vector<uint8_t> bytes;  // the elements in host byte order, element_bytes() each

    int64_t elements() const;
    size_t element_bytes() const;
    double value(size_t index) const;  // any element type, as a double
};

const char* idx_type_name(IdxType type);

IdxArray read_idx_file(const std::string& path, const Limits& limits = Limits{});
// `bytes` is the file's content (gzip or plain); `source` names it in errors.
IdxArray parse_idx(const std::string& bytes, const std::string& source, const Limits& limits = Limits{});

}  // namespace npu

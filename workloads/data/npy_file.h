#pragma once
// NumPy's .npy format (numpy.org/doc/stable/reference/generated/numpy.lib.format.html): the
// magic "\x93NUMPY", a version byte pair (1.0: 2-byte header length; 2.0 and 3.0: 4-byte), then a
// Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }
// padded with spaces to a multiple of 64 bytes, then the elements in C order. npusim reads the
// little-endian and byte types a user's numpy writes (float32/64, int8/16/32/64,
// uint8/16/32/64, bool; not float16) and writes float32. Every malformed file is a WorkloadError naming the
// file and what is wrong, checked against the limits before anything is allocated.
#include <cstdint>
#include <string>
#include <vector>

#include "common/limits.h"

namespace npu {

struct NpyArray {
    std::vector<int64_t> shape;  // () for a scalar
    std::vector<float> values;   // C order
};

NpyArray read_npy_file(const std::string& path, const Limits& limits = Limits{});
// `bytes` is the file's content; `source` names it in errors.
NpyArray parse_npy(const std::string& bytes, const std::string& source, const Limits& limits = Limits{});

// A float32 .npy of `values` in C order with `shape` (their product must be values.size()).
std::string npy_bytes(const std::vector<int64_t>& shape, const std::vector<float>& values);

}  // namespace npu

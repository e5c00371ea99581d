#pragma once
// Which input rows (or columns) a block of sliding-window outputs reads, clipped to the tensor.
#include <algorithm>
#include <cstdint>

namespace npu {

struct Span {
    int64_t begin = 0;
    int64_t end = 0;
    int64_t size() const { return end - begin; }
};

// Outputs [out_begin, out_begin + count) along one axis with the given stride, leading pad and
// dilated extent read inputs [out_begin * stride - pad, (last) * stride - pad + extent), clipped
// to [0, in_size).
inline Span input_span(int64_t out_begin, int64_t count, int64_t stride, int64_t pad_before,
                       int64_t extent, int64_t in_size) {
    const int64_t lo = out_begin * stride - pad_before;
    const int64_t hi = (out_begin + count - 1) * stride - pad_before + extent;
    return Span{std::max<int64_t>(lo, 0), std::min<int64_t>(hi, in_size)};
}

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace npu

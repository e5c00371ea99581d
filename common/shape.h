#pragma once
// Activation tensor shape, NCHW (the base vocabulary of the IR, the kernels and the ISA).(the base vocabulary of the
// IR, the kernels and the ISA). Fully connected outputs are N x C x 1 x 1.
#include <cstdint>
#include <string>

namespace npu {

struct Shape {
    int64_t n = 1;  // batch
    int64_t c = 1;  // channels (features)
    int64_t h = 1;
    int64_t w = 1;

    int64_t elements() const { return n * c * h * w; }
    int64_t per_image() const { return c * h * w; }
    bool operator==(const Shape& o) const { return n == o.n && c == o.c && h == o.h && w == o.w; }
    bool operator!=(const Shape& o) const { return !(*this == o); }
    std::string str() const;  // "1x64x56x56"
    int64_t dim(int axis) const { return axis == 0 ? n : axis == 1 ? c : axis == 2 ? h : w; }
    int64_t& dim(int axis) { return axis == 0 ? n : axis == 1 ? c : axis == 2 ? h : w; }
};

// A tensor seen as [outer][length][inner] around one axis (row-major): softmax and concat work
// on this view.
struct AxisView {
    int64_t outer = 1, length = 1, inner = 1;
};
// `merge_after`: the axis and everything after it form `length` (inner = 1).
inline AxisView axis_view(const Shape& s, int axis, bool merge_after) {
    AxisView v;
    for (int d = 0; d < axis; ++d) v.outer *= s.dim(d);
    v.length = s.dim(axis);
    for (int d = axis + 1; d < 4; ++d) (merge_after ? v.length : v.inner) *= s.dim(d);
    return v;
}

}  // namespace npu

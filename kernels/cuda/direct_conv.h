#pragma once
// A direct convolution, one output element at a time: the index math and the sum that the naive
// CUDA kernel runs per thread (gpu_conv.cu) and the CPU runs in its tests, one definition for
// both (NPU_HD). NCHW activations, weights [F][C/groups][KH][KW], zero padding, dilation, groups
// (depthwise when groups = C). Written to be read: the first GPU kernel a student should see.
#include <cstdint>

#include "kernels/numerics/bf16.h"
#include "kernels/numerics/fp16.h"
#include "kernels/numerics/host_device.h"
#include "kernels/numerics/int8.h"

namespace npu {

struct DirectConvShape {
    int64_t n = 1, c = 1, h = 1, w = 1;  // input
    int64_t f = 1, oh = 1, ow = 1;       // output channels and size
    int64_t kh = 1, kw = 1, stride_h = 1, stride_w = 1, pad_top = 0, pad_left = 0;
    int64_t dilation_h = 1, dilation_w = 1, groups = 1;

    NPU_HD int64_t inputs() const { return n * c * h * w; }
    NPU_HD int64_t outputs() const { return n * f * oh * ow; }
    NPU_HD int64_t weights() const { return f * (c / groups) * kh * kw; }
    NPU_HD int64_t in_per_group() const { return c / groups; }
    NPU_HD int64_t out_per_group() const { return f / groups; }
};

struct OutputCoords {
    int64_t n = 0, f = 0, oy = 0, ox = 0;
};

// Output element `index` of the NCHW output tensor.
NPU_HD inline OutputCoords output_coords(const DirectConvShape& s, int64_t index) {
    OutputCoords o;
    o.ox = index % s.ow;
    o.oy = (index / s.ow) % s.oh;
    o.f = (index / (s.ow * s.oh)) % s.f;
    o.n = index / (s.ow * s.oh * s.f);
    return o;
}

// The input element tap (cg, r, q) of output `o` reads (cg: channel within the group), or -1
// where the window lies on the padding.
NPU_HD inline int64_t tap_input_index(const DirectConvShape& s, const OutputCoords& o, int64_t cg, int64_t r,
                                      int64_t q) {
    const int64_t iy = o.oy * s.stride_h - s.pad_top + r * s.dilation_h;
    const int64_t ix = o.ox * s.stride_w - s.pad_left + q * s.dilation_w;
    if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) return -1;
    const int64_t channel = (o.f / s.out_per_group()) * s.in_per_group() + cg;
    return ((o.n * s.c + channel) * s.h + iy) * s.w + ix;
}

NPU_HD inline int64_t weight_index(const DirectConvShape& s, int64_t f, int64_t cg, int64_t r, int64_t q) {
    return ((f * s.in_per_group() + cg) * s.kh + r) * s.kw + q;
}

// Widening loads: an operand element as the accumulator's type.
struct WidenFloat {
    NPU_HD float operator()(const float* p, int64_t i) const { return p[i]; }
};
struct WidenHalf {  // binary16 operands, FP32 products and sums
    NPU_HD float operator()(const Half* p, int64_t i) const { return half_to_float(p[i]); }
};
struct WidenBf16 {  // bfloat16 operands, FP32 products and sums
    NPU_HD float operator()(const Bf16* p, int64_t i) const { return bf16_to_float(p[i]); }
};
struct WidenInt8 {  // int8 operands, exact int32 products and sums
    NPU_HD int32_t operator()(const int8_t* p, int64_t i) const { return int32_t(p[i]); }
};

// Output `o`'s sum over its window, taps in (channel, row, column) order.
template <class Acc, class T, class Widen>
NPU_HD Acc direct_conv_sum(const DirectConvShape& s, const OutputCoords& o, const T* x, const T* w, Widen widen) {
    Acc sum = Acc(0);
    for (int64_t cg = 0; cg < s.in_per_group(); ++cg)
        for (int64_t r = 0; r < s.kh; ++r)
            for (int64_t q = 0; q < s.kw; ++q) {
                const int64_t i = tap_input_index(s, o, cg, r, q);
                if (i >= 0) sum += widen(x, i) * widen(w, weight_index(s, o.f, cg, r, q));
            }
    return sum;
}

// An INT8 output from its int32 sum: the NPU's requantization and activation clamp.
NPU_HD inline int8_t requantize_output(int32_t sum, int32_t bias, QuantMultiplier m, Int8Clamp clamp) {
    const int8_t q = requantize(sum + bias, m);
    return int8_t(q < clamp.lo ? clamp.lo : (q > clamp.hi ? clamp.hi : q));
}

}  // namespace npu

namespace npu {

// The same convolution as an implicit GEMM per group (the `tiled` kernel): C[m][j] =
// sum_k A[m][k] B[k][j] with m = (n, oy, ox), k = (cg, r, q) in direct_conv_sum's order and j a
// filter of the group; A is the im2col view of the input, read in place, never built.
NPU_HD inline int64_t implicit_m(const DirectConvShape& s) { return s.n * s.oh * s.ow; }
NPU_HD inline int64_t implicit_k(const DirectConvShape& s) { return s.in_per_group() * s.kh * s.kw; }

// The output coordinates of row m and filter j of group `group`.
NPU_HD inline OutputCoords implicit_coords(const DirectConvShape& s, int64_t group, int64_t m, int64_t j) {
    OutputCoords o;
    o.ox = m % s.ow;
    o.oy = (m / s.ow) % s.oh;
    o.n = m / (s.ow * s.oh);
    o.f = group * s.out_per_group() + j;
    return o;
}

// A[m][k]'s input element, or -1 on the padding.
NPU_HD inline int64_t implicit_a_index(const DirectConvShape& s, int64_t group, int64_t m, int64_t k) {
    const int64_t q = k % s.kw, r = (k / s.kw) % s.kh, cg = k / (s.kw * s.kh);
    return tap_input_index(s, implicit_coords(s, group, m, 0), cg, r, q);
}

// B[k][j]'s weight element.
NPU_HD inline int64_t implicit_b_index(const DirectConvShape& s, int64_t group, int64_t k, int64_t j) {
    const int64_t q = k % s.kw, r = (k / s.kw) % s.kh, cg = k / (s.kw * s.kh);
    return weight_index(s, group * s.out_per_group() + j, cg, r, q);
}

// C[m][j]'s output element (NCHW).
NPU_HD inline int64_t implicit_c_index(const DirectConvShape& s, int64_t group, int64_t m, int64_t j) {
    const OutputCoords o = implicit_coords(s, group, m, j);
    return ((o.n * s.f + o.f) * s.oh + o.oy) * s.ow + o.ox;
}

}  // namespace npu

#pragma once
// The convolution shapes every backend's conv test runs (odd sizes, stride 2, padding,
// dilation, groups, depthwise, 1x1, and one spanning several of the mma kernel's 128 x 128 tiles
// with partial ones), with seeded operands and the CPU reference's results.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/cpu/reference_ops.h"
#include "kernels/cuda/direct_conv_geometry.h"
#include "workloads/ir/seeded_rng.h"

namespace npu::test {

struct ConvCase {
    const char* name;
    DirectConvShape shape;
};

// n, c, h, w; f, oh, ow; kh, kw, stride h, w, pad top, left; dilation h, w; groups.
inline std::vector<ConvCase> conv_cases() {
    return {
        {"3x3 over 5x5 (the tutorial)", {1, 1, 5, 5, 1, 3, 3, 3, 3, 1, 1, 0, 0, 1, 1, 1}},
        {"odd sizes, padding 1", {2, 3, 7, 9, 5, 7, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1}},
        {"stride 2, 5x5, padding 2", {1, 4, 11, 11, 6, 6, 6, 5, 5, 2, 2, 2, 2, 1, 1, 1}},
        {"dilation 2", {1, 2, 9, 9, 3, 5, 5, 3, 3, 1, 1, 0, 0, 2, 2, 1}},
        {"groups 2", {1, 4, 6, 6, 6, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2}},
        {"depthwise, stride 2", {1, 8, 9, 9, 8, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1, 8}},
        {"1x1, 37 channels", {3, 37, 3, 5, 17, 3, 5, 1, 1, 1, 1, 0, 0, 1, 1, 1}},
        {"past one 128x128 tile: M 286, K 171, N 140", {2, 19, 13, 11, 140, 13, 11, 3, 3, 1, 1, 1, 1, 1, 1, 1}},
    };
}

inline std::vector<float> uniform_values(int64_t count, uint64_t seed) {
    SeededRng rng(seed);
    std::vector<float> v(static_cast<size_t>(count));
    for (float& x : v) x = float(rng.uniform(-1.0, 1.0));
    return v;
}

inline std::vector<int8_t> int8_values(int64_t count, uint64_t seed) {
    SeededRng rng(seed);
    std::vector<int8_t> v(static_cast<size_t>(count));
    for (int8_t& x : v) x = int8_t(int(rng.uniform(-128.0, 128.0)));
    return v;
}

inline HostTensor float_tensor(const DirectConvShape& s, const std::vector<float>& x) {
    HostTensor t = HostTensor::zeros(Shape{s.n, s.c, s.h, s.w}, Precision::Fp32);
    for (size_t i = 0; i < x.size(); ++i) t.set_real(int64_t(i), x[i]);
    return t;
}

// FP16 or BF16 operands: their bits, and the same values as floats for the reference.
template <class T>
struct Operands {
    std::vector<T> bits;
    std::vector<float> values;
};
using HalfOperands = Operands<Half>;
using Bf16Operands = Operands<Bf16>;

template <class T, class Encode, class Decode>
Operands<T> operands(const std::vector<float>& v, Encode encode, Decode decode) {
    Operands<T> o;
    for (float x : v) o.bits.push_back(encode(x)), o.values.push_back(decode(encode(x)));
    return o;
}
inline HalfOperands to_half(const std::vector<float>& v) { return operands<Half>(v, float_to_half, half_to_float); }
inline Bf16Operands to_bf16(const std::vector<float>& v) { return operands<Bf16>(v, float_to_bf16, bf16_to_float); }

// The magnitude the float checks measure small results against (the check rule's floor).
inline float rms(const std::vector<float>& v) {
    double squares = 0;
    for (float x : v) squares += double(x) * x;
    return float(std::sqrt(squares / double(std::max<size_t>(1, v.size()))));
}

// An INT8 case: seeded operands, a bias and a requantization scale per output channel, and
// the CPU reference's output.
struct Int8Case {
    std::vector<int8_t> x, w;
    std::vector<int32_t> bias;
    std::vector<QuantMultiplier> requant;
    HostTensor reference;
};

inline Int8Case int8_case(const DirectConvShape& s, Int8Clamp clamp) {
    Int8Case c;
    c.x = int8_values(s.inputs(), 4);
    c.w = int8_values(s.weights(), 5);
    for (int64_t f = 0; f < s.f; ++f) {
        c.bias.push_back(int32_t(f * 97 - 300));
        c.requant.push_back(make_multiplier(0.002 + 0.0005 * double(f)));
    }
    HostTensor in = HostTensor::zeros(Shape{s.n, s.c, s.h, s.w}, Precision::Int8);
    std::copy(c.x.begin(), c.x.end(), in.int8());
    c.reference = requantize_int8(conv_accumulate_int8(in, conv_geometry(s), c.w.data(), c.bias.data()),
                                  Shape{s.n, s.f, s.oh, s.ow}, c.requant, clamp);
    return c;
}

}  // namespace npu::test

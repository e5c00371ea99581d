#pragma once
// The non-convolution ops every backend's op test runs (pools with padding, dilation and both
// divisors, add with rescaling and fused activations, clamps, softmax along both axis rules,
// batchnorm's affine, concat along channels and rows), in every precision, with seeded inputs
// and the CPU reference's results. `compute` runs one case through an implementation with the
// reference's signatures (reference_ops.h, gpu_ops.h, or the CPU emulation of vector_ops.h).
#include <string>
#include <vector>

#include "kernels/cpu/reference_ops.h"
#include "kernels/numerics/vector_math.h"
#include "workloads/ir/seeded_rng.h"

namespace npu::test {

enum class OpKind {
    MaxPool,
    AvgPool,
    GlobalAvgPool,
    Add,
    Clamp,
    Softmax,
    Affine,
    Concat,
    Unary,
    Mul,
    Slice,
    Shuffle,
    LayerNorm
};

struct OpCase {
    std::string name;
    OpKind kind = OpKind::Clamp;
    HostTensor a, b;
    Shape out;
    Window2d window;
    bool include_pad = false;
    AddRescale rescale;
    Int8Clamp bounds;
    Activation act = Activation::None;
    float lo = -1e30f, hi = 1e30f, in_scale = 0.05f;
    SoftmaxAttrs softmax;
    std::vector<float> scale, shift;
    int axis = 1;
    std::vector<QuantMultiplier> concat_rescale;
    UnaryAttrs unary;
    std::vector<int8_t> unary_table;
    QuantMultiplier mul;
    SliceAttrs slice;
    int64_t groups = 1;
    float epsilon = 1e-5f, norm_out_scale = 1.0f;  // LayerNorm (its input scale: in_scale, as softmax's)
};

inline HostTensor seeded_tensor(const Shape& s, Precision p, uint64_t seed) {
    SeededRng rng(seed);
    HostTensor t = HostTensor::zeros(s, p);
    for (int64_t i = 0; i < s.elements(); ++i) {
        if (p == Precision::Int8)
            t.int8()[i] = int8_t(int(rng.uniform(-128.0, 128.0)));
        else
            t.set_real(i, float(rng.uniform(-4.0, 4.0)));
    }
    return t;
}

inline Window2d window(int64_t k, int64_t stride, int64_t pad, int64_t dilation = 1) {
    Window2d w;
    w.kernel_h = w.kernel_w = k;
    w.stride_h = w.stride_w = stride;
    w.pad_top = w.pad_left = w.pad_bottom = w.pad_right = pad;
    w.dilation_h = w.dilation_w = dilation;
    return w;
}

// Slices and channel shuffles: values moved as they are.
inline void add_move_cases(const Shape& image, Precision p, std::vector<OpCase>& cases) {
    const auto add = [&](OpCase c) { cases.push_back(std::move(c)); };
    OpCase c;
    c.a = seeded_tensor(image, p, 21);
    c.kind = OpKind::Slice, c.name = "slice of channels [1, 4)", c.slice = SliceAttrs{1, 1, 4}, c.out = {2, 3, 9, 7};
    add(c);
    c.name = "slice of columns [2, 7)", c.slice = SliceAttrs{3, 2, 7}, c.out = {2, 5, 9, 5};
    add(c);
    c.name = "slice of the batch [1, 2)", c.slice = SliceAttrs{0, 1, 2}, c.out = {1, 5, 9, 7};
    add(c);
    c.kind = OpKind::Shuffle, c.a = seeded_tensor({2, 6, 3, 5}, p, 26), c.out = c.a.shape;
    for (int64_t g : {2, 3}) {
        c.name = "channel shuffle in " + std::to_string(g) + " groups", c.groups = g;
        add(c);
    }
}

inline std::vector<OpCase> op_cases(Precision p) {
    const Shape image{2, 5, 9, 7};
    std::vector<OpCase> cases;
    const auto add = [&](OpCase c) { cases.push_back(std::move(c)); };
    const HostTensor x = seeded_tensor(image, p, 21), y = seeded_tensor(image, p, 22);
    OpCase c;
    c.a = x;
    c.kind = OpKind::MaxPool, c.name = "max pool 3x3 stride 2 pad 1", c.window = window(3, 2, 1), c.out = {2, 5, 5, 4};
    add(c);
    c.name = "max pool 2x2 dilation 2", c.window = window(2, 1, 0, 2), c.out = {2, 5, 7, 5};
    add(c);
    c.kind = OpKind::AvgPool, c.name = "avg pool 3x3 pad 1 (valid cells)", c.window = window(3, 2, 1),
    c.out = {2, 5, 5, 4};
    add(c);
    c.name = "avg pool 3x3 pad 1 (whole window)", c.include_pad = true;
    add(c);
    c.kind = OpKind::GlobalAvgPool, c.name = "global average pool", c.out = {2, 5, 1, 1};
    add(c);
    c.out = image, c.b = y;
    c.kind = OpKind::Add, c.name = "add, relu", c.act = Activation::Relu;
    c.rescale = make_add_rescale(0.7, 0.45), c.bounds = Int8Clamp{0, 127};
    add(c);
    c.name = "add, relu6", c.act = Activation::Relu6, c.bounds = Int8Clamp{0, 90};
    add(c);
    c.kind = OpKind::Clamp, c.name = "clip [-1.5, 2.25]", c.lo = -1.5f, c.hi = 2.25f, c.bounds = Int8Clamp{-40, 60};
    add(c);
    c.kind = OpKind::Softmax, c.name = "softmax over C*H*W (flatten)", c.softmax = SoftmaxAttrs{1, true};
    add(c);
    c.name = "softmax over C per pixel", c.softmax = SoftmaxAttrs{1, false};
    add(c);
    c.kind = OpKind::Affine, c.name = "batchnorm's affine";
    c.scale = {0.5f, -1.25f, 2.0f, 0.75f, 1.5f}, c.shift = {0.1f, 0.2f, -0.3f, 0.0f, 1.0f};
    if (p != Precision::Int8) add(c);  // a standalone batchnorm is float only
    c.kind = OpKind::Concat, c.name = "concat along channels", c.b = seeded_tensor({2, 3, 9, 7}, p, 23), c.axis = 1;
    c.out = {2, 8, 9, 7}, c.concat_rescale = {make_multiplier(0.8), make_multiplier(0.6)};
    add(c);
    c.name = "concat along rows", c.b = seeded_tensor({2, 5, 4, 7}, p, 24), c.axis = 2, c.out = {2, 5, 13, 7};
    add(c);
    c.kind = OpKind::Unary, c.out = image;
    for (const UnaryAttrs u : {UnaryAttrs{UnaryFn::Sigmoid, 0.2f, 0.5f},
                               UnaryAttrs{UnaryFn::HardSigmoid, 1 / 6.0f, 0.5f}, UnaryAttrs{UnaryFn::Tanh, 0.2f, 0.5f},
                               UnaryAttrs{UnaryFn::Gelu, 0.2f, 0.5f}, UnaryAttrs{UnaryFn::Erf, 0.2f, 0.5f}}) {
        c.name = std::string("unary ") + unary_name(u.fn), c.unary = u;
        c.unary_table = unary_table(u, 0.05f, 1.0f / 127.0f);
        add(c);
    }
    c.kind = OpKind::Mul, c.name = "mul, equal shapes", c.b = y, c.mul = make_multiplier(0.05 * 0.04 / 0.1);
    add(c);
    c.name = "mul, one value per channel", c.b = seeded_tensor({2, 5, 1, 1}, p, 25);
    add(c);
    c.kind = OpKind::LayerNorm, c.name = "layer norm over channels", c.b = HostTensor{};
    c.scale = {0.5f, -1.25f, 2.0f, 0.75f, 1.5f}, c.shift = {0.1f, 0.2f, -0.3f, 0.0f, 1.0f};
    c.epsilon = 1e-6f, c.in_scale = 0.05f, c.norm_out_scale = 5.0f / 127.0f;
    add(c);
    add_move_cases(image, p, cases);
    return cases;
}

// One case through `ops`, an object with the reference's operator signatures.
template <class Ops>
HostTensor compute(const OpCase& c, Ops& ops) {
    switch (c.kind) {
        case OpKind::MaxPool: return ops.max_pool(c.a, c.out, c.window);
        case OpKind::AvgPool: return ops.avg_pool(c.a, c.out, c.window, c.include_pad);
        case OpKind::GlobalAvgPool: return ops.global_avg_pool(c.a);
        case OpKind::Add: return ops.add(c.a, c.b, c.rescale, c.bounds, c.act);
        case OpKind::Clamp: return ops.clamp(c.a, c.bounds, c.lo, c.hi);
        case OpKind::Softmax: return ops.softmax(c.a, c.softmax, c.in_scale);
        case OpKind::Affine: return ops.channel_affine(c.a, c.scale, c.shift);
        case OpKind::Unary: return ops.unary(c.a, c.unary, c.unary_table);
        case OpKind::Mul: return ops.multiply(c.a, c.b, c.mul);
        case OpKind::Slice: return ops.slice(c.a, c.out, c.slice);
        case OpKind::Shuffle: return ops.channel_shuffle(c.a, c.groups);
        case OpKind::LayerNorm: return ops.layer_norm(c.a, c.epsilon, c.in_scale, c.norm_out_scale, c.scale, c.shift);
        case OpKind::Concat: break;
    }
    return ops.concat({&c.a, &c.b}, c.out, c.axis, c.concat_rescale);
}

// The CPU reference behind that interface.
struct ReferenceOps {
    HostTensor max_pool(const HostTensor& a, const Shape& o, const Window2d& w) { return npu::max_pool(a, o, w); }
    HostTensor avg_pool(const HostTensor& a, const Shape& o, const Window2d& w, bool pad) {
        return npu::avg_pool(a, o, w, pad);
    }
    HostTensor global_avg_pool(const HostTensor& a) { return npu::global_avg_pool(a); }
    HostTensor add(const HostTensor& a, const HostTensor& b, AddRescale r, Int8Clamp c, Activation act) {
        return a.precision == Precision::Int8 ? add_int8(a, b, r, c) : add_float(a, b, act);
    }
    HostTensor clamp(const HostTensor& a, Int8Clamp c, float lo, float hi) { return npu::clamp(a, c, lo, hi); }
    HostTensor softmax(const HostTensor& a, const SoftmaxAttrs& s, float scale) { return npu::softmax(a, s, scale); }
    HostTensor unary(const HostTensor& a, const UnaryAttrs& u, const std::vector<int8_t>& t) {
        return npu::unary(a, u, t);
    }
    HostTensor multiply(const HostTensor& a, const HostTensor& b, QuantMultiplier m) { return npu::multiply(a, b, m); }
    HostTensor slice(const HostTensor& a, const Shape& o, const SliceAttrs& s) { return npu::slice(a, o, s); }
    HostTensor channel_shuffle(const HostTensor& a, int64_t g) { return npu::channel_shuffle(a, g); }
    HostTensor layer_norm(const HostTensor& a, float eps, float in_scale, float out_scale, const std::vector<float>& g,
                          const std::vector<float>& b) {
        return npu::layer_norm(a, eps, in_scale, out_scale, g, b);
    }
    HostTensor channel_affine(const HostTensor& a, const std::vector<float>& s, const std::vector<float>& t) {
        return npu::channel_affine(a, s, t);
    }
    HostTensor concat(const std::vector<const HostTensor*>& in, const Shape& o, int axis,
                      const std::vector<QuantMultiplier>& r) {
        return npu::concat(in, o, axis, r);
    }
};

}  // namespace npu::test

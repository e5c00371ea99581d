#pragma once
// vector_ops.h's per-element functions looped over whole tensors on the CPU, with the
// reference's signatures (op_cases.h): what the GPU kernels compute, thread by thread.
#include <vector>

#include "kernels/cuda/vector_ops.h"
#include "kernels/numerics/vector_math.h"
#include "kernels/op_cases.h"

namespace npu::test {

struct EmulatedOps {
    HostTensor max_pool(const HostTensor& a, const Shape& o, const Window2d& w) {
        HostTensor out = HostTensor::zeros(o, a.precision);
        for (int64_t i = 0; i < o.elements(); ++i)
            max_pool_element(pool_geometry(a.shape, o, w, false), a.precision, a.bytes.data(), out.bytes.data(), i);
        return out;
    }
    HostTensor avg_pool(const HostTensor& a, const Shape& o, const Window2d& w, bool pad) {
        HostTensor out = HostTensor::zeros(o, a.precision);
        std::vector<QuantMultiplier> by_count(size_t(w.kernel_h * w.kernel_w + 1));
        for (size_t n = 1; n < by_count.size(); ++n) by_count[n] = average_multiplier(int64_t(n));
        for (int64_t i = 0; i < o.elements(); ++i)
            avg_pool_element(pool_geometry(a.shape, o, w, pad), a.precision, a.bytes.data(), out.bytes.data(), i,
                             by_count.data());
        return out;
    }
    HostTensor global_avg_pool(const HostTensor& a) {
        return avg_pool(a, Shape{a.shape.n, a.shape.c, 1, 1}, window_of(a.shape), true);
    }
    HostTensor add(const HostTensor& a, const HostTensor& b, AddRescale r, Int8Clamp c, Activation act) {
        HostTensor out = HostTensor::zeros(a.shape, a.precision);
        for (int64_t i = 0; i < a.elements(); ++i)
            add_element(a.precision, a.bytes.data(), b.bytes.data(), out.bytes.data(), i, r, c, act);
        return out;
    }
    HostTensor clamp(const HostTensor& a, Int8Clamp c, float lo, float hi) {
        HostTensor out = HostTensor::zeros(a.shape, a.precision);
        for (int64_t i = 0; i < a.elements(); ++i)
            clamp_element(a.precision, a.bytes.data(), out.bytes.data(), i, c, lo, hi);
        return out;
    }
    HostTensor softmax(const HostTensor& a, const SoftmaxAttrs& s, float scale) {
        HostTensor out = HostTensor::zeros(a.shape, a.precision);
        const AxisView v = axis_view(a.shape, s.axis, s.flatten);
        for (int64_t o = 0; o < v.outer; ++o)
            for (int64_t i = 0; i < v.inner; ++i)
                softmax_row(a.precision, a.bytes.data(), out.bytes.data(), o * v.length * v.inner + i, v.length,
                            v.inner, scale);
        return out;
    }
    HostTensor unary(const HostTensor& a, const UnaryAttrs& u, const std::vector<int8_t>& t) {
        HostTensor out = HostTensor::zeros(a.shape, a.precision);
        for (int64_t i = 0; i < a.elements(); ++i)
            unary_element(a.precision, a.bytes.data(), out.bytes.data(), i, u, t.data());
        return out;
    }
    HostTensor multiply(const HostTensor& a, const HostTensor& b, QuantMultiplier m) {
        HostTensor out = HostTensor::zeros(a.shape, a.precision);
        const int64_t pixels = b.elements() != a.elements() ? a.shape.h * a.shape.w : 0;
        for (int64_t i = 0; i < a.elements(); ++i)
            mul_element(a.precision, a.bytes.data(), b.bytes.data(), out.bytes.data(), i, pixels, m);
        return out;
    }
    HostTensor slice(const HostTensor& a, const Shape& o, const SliceAttrs& s) {
        HostTensor out = HostTensor::zeros(o, a.precision);
        const AxisView v = axis_view(a.shape, s.axis, false);
        for (int64_t e = 0; e < o.elements(); ++e)
            move_element(a.precision, a.bytes.data(), out.bytes.data(),
                         slice_source(e, s.end - s.begin, v.inner, v.length, s.begin), e);
        return out;
    }
    HostTensor channel_shuffle(const HostTensor& a, int64_t g) {
        HostTensor out = HostTensor::zeros(a.shape, a.precision);
        for (int64_t e = 0; e < a.elements(); ++e)
            move_element(a.precision, a.bytes.data(), out.bytes.data(),
                         shuffle_source(e, a.shape.c, a.shape.h * a.shape.w, g), e);
        return out;
    }
    HostTensor layer_norm(const HostTensor& a, float eps, float in_scale, float out_scale, const std::vector<float>& g,
                          const std::vector<float>& b) {
        HostTensor out = HostTensor::zeros(a.shape, a.precision);
        const int64_t pixels = a.shape.h * a.shape.w, channels = a.shape.c;
        const LayerNormRow r{eps, in_scale, out_scale, g.data(), b.data()};
        for (int64_t row = 0; row < a.shape.n * pixels; ++row)
            layer_norm_pixel(a.precision, a.bytes.data(), out.bytes.data(),
                             (row / pixels) * channels * pixels + row % pixels, channels, pixels, r);
        return out;
    }
    HostTensor channel_affine(const HostTensor& a, const std::vector<float>& s, const std::vector<float>& t) {
        HostTensor out = HostTensor::zeros(a.shape, a.precision);
        for (int64_t i = 0; i < a.elements(); ++i)
            affine_element(a.precision, a.bytes.data(), out.bytes.data(), i, a.shape.h * a.shape.w, a.shape.c, s.data(),
                           t.data());
        return out;
    }
    HostTensor concat(const std::vector<const HostTensor*>& in, const Shape& o, int axis,
                      const std::vector<QuantMultiplier>& r) {
        const Precision p = in.front()->precision;
        HostTensor out = HostTensor::zeros(o, p);
        const AxisView ov = axis_view(o, axis, false);
        int64_t offset = 0;
        for (size_t k = 0; k < in.size(); ++k) {
            const AxisView v = axis_view(in[k]->shape, axis, false);
            for (int64_t e = 0; e < in[k]->elements(); ++e)
                concat_element(p, in[k]->bytes.data(), out.bytes.data(), e,
                               concat_destination(e, v.length, v.inner, ov.length, offset),
                               p == Precision::Int8 ? r[k] : QuantMultiplier{});
            offset += v.length;
        }
        return out;
    }

private:
    static Window2d window_of(const Shape& s) {
        Window2d w;
        w.kernel_h = w.stride_h = s.h;
        w.kernel_w = w.stride_w = s.w;
        return w;
    }
};

}  // namespace npu::test

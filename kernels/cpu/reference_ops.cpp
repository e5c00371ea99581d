#include "kernels/cpu/reference_ops.h"

#include <Eigen/Core>
#include <algorithm>
#include <limits>
#include <type_traits>

#include "kernels/cpu/exact_gemm.h"
#include "kernels/numerics/vector_math.h"

namespace npu {

namespace {

template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// im2col of one image and one group of `x` (the input's values, decoded once): rows k = (c, r, s),
// columns p = (oh, ow); zero padding.
RowMatrix<float> im2col(const std::vector<float>& x, const ConvGeometry& g, int64_t n, int64_t group,
                        float zero_point) {
    const Window2d& w = g.window;
    const int64_t cg = g.in_per_group(), oh = g.output.h, ow = g.output.w;
    RowMatrix<float> col(cg * w.kernel_h * w.kernel_w, oh * ow);
    for (int64_t c = 0; c < cg; ++c) {
        const float* plane = x.data() + (n * g.input.c + group * cg + c) * g.input.h * g.input.w;
        for (int64_t r = 0; r < w.kernel_h; ++r)
            for (int64_t s = 0; s < w.kernel_w; ++s) {
                float* dst = &col((c * w.kernel_h + r) * w.kernel_w + s, 0);
                for (int64_t y = 0; y < oh; ++y) {
                    const int64_t iy = y * w.stride_h - w.pad_top + r * w.dilation_h;
                    const bool row_inside = iy >= 0 && iy < g.input.h;
                    for (int64_t xo = 0; xo < ow; ++xo) {
                        const int64_t ix = xo * w.stride_w - w.pad_left + s * w.dilation_w;
                        const bool inside = row_inside && ix >= 0 && ix < g.input.w;
                        dst[y * ow + xo] = inside ? plane[iy * g.input.w + ix] - zero_point : 0.0f;
                    }
                }
            }
    }
    return col;
}

// A 1x1 convolution of stride 1 without padding reads its input planes as they are: the image's
// channels of one group are already the K x pixels operand, so im2col's copy is skipped (integer
// path only; the float path keeps Eigen's product of the copy, its rounding unchanged).
bool reads_input_directly(const ConvGeometry& g, float zero_point) {
    const Window2d& w = g.window;
    return zero_point == 0.0f && w.kernel_h == 1 && w.kernel_w == 1 && w.stride_h == 1 && w.stride_w == 1 &&
           w.pad_top == 0 && w.pad_left == 0 && g.output.h == g.input.h && g.output.w == g.input.w;
}

template <class T>
RowMatrix<T> group_product(const RowMatrix<float>& wm, const std::vector<float>& x, const ConvGeometry& g, int64_t n,
                           int64_t group, float zero_point) {
    const int64_t pixels = g.output.h * g.output.w;
    if constexpr (std::is_same_v<T, int32_t>) {
        RowMatrix<int32_t> sums(wm.rows(), pixels);
        RowMatrix<float> col;
        const float* operand = x.data() + (n * g.input.c + group * g.in_per_group()) * pixels;
        if (!reads_input_directly(g, zero_point)) {
            col = im2col(x, g, n, group, zero_point);
            operand = col.data();
        }
        exact_integer_gemm(wm.data(), operand, sums.data(), wm.rows(), wm.cols(), pixels);
        return sums;
    } else {
        return wm * im2col(x, g, n, group, zero_point);
    }
}

template <class T, class W, class B>
std::vector<T> conv_accumulate(const HostTensor& in, const ConvGeometry& g, const W* weights, const B* bias,
                               T input_zero_point, T weight_zero_point) {
    const int64_t fg = g.out_per_group(), k = g.k_per_group(), pixels = g.output.h * g.output.w;
    std::vector<T> out(size_t(g.output.elements()));
    const std::vector<float> x = in.values();
    for (int64_t group = 0; group < g.groups; ++group) {
        RowMatrix<float> wm(fg, k);
        for (int64_t f = 0; f < fg; ++f)
            for (int64_t i = 0; i < k; ++i) wm(f, i) = float(T(weights[(group * fg + f) * k + i]) - weight_zero_point);
        for (int64_t n = 0; n < g.input.n; ++n) {
            const RowMatrix<T> result = group_product<T>(wm, x, g, n, group, float(input_zero_point));
            for (int64_t f = 0; f < fg; ++f) {
                const int64_t channel = group * fg + f;
                T* dst = out.data() + (n * g.output.c + channel) * pixels;
                for (int64_t p = 0; p < pixels; ++p) dst[p] = result(f, p) + T(bias[channel]);
            }
        }
    }
    return out;
}

float apply_activation(float v, Activation act) {
    if (act == Activation::Relu) return activate_relu(v);
    if (act == Activation::Relu6) return activate_relu6(v);
    return v;
}

int8_t clamp_int8(int64_t v, Int8Clamp c) { return int8_t(std::min<int64_t>(std::max<int64_t>(v, c.lo), c.hi)); }

// Visits every output cell with the flat offset of its input plane and the window origin.
template <class Visit>
void for_each_window(const Shape& in, const Shape& out, const Window2d& w, Visit visit) {
    for (int64_t plane = 0; plane < out.n * out.c; ++plane)
        for (int64_t y = 0; y < out.h; ++y)
            for (int64_t x = 0; x < out.w; ++x)
                visit((plane * out.h + y) * out.w + x, plane * in.h * in.w, y * w.stride_h - w.pad_top,
                      x * w.stride_w - w.pad_left);
}

}  // namespace

std::vector<int32_t> conv_accumulate_int8(const HostTensor& in, const ConvGeometry& g, const int8_t* weights,
                                          const int32_t* bias, int32_t input_zero_point, int32_t weight_zero_point) {
    return conv_accumulate<int32_t>(in, g, weights, bias, input_zero_point, weight_zero_point);
}

std::vector<float> conv_accumulate_float(const HostTensor& in, const ConvGeometry& g, const float* weights,
                                         const float* bias) {
    return conv_accumulate<float>(in, g, weights, bias, 0.0f, 0.0f);
}

HostTensor requantize_onnx(const std::vector<int32_t>& acc, const Shape& shape, const std::vector<float>& per_channel,
                           int32_t zero_point) {
    HostTensor out = HostTensor::zeros(shape, Precision::Int8);
    const int64_t pixels = shape.h * shape.w;
    for (int64_t i = 0; i < shape.elements(); ++i)
        out.int8()[i] = requantize_round_even(acc[size_t(i)], per_channel[size_t((i / pixels) % shape.c)], zero_point);
    return out;
}

HostTensor int32_tensor(const std::vector<int32_t>& acc, const Shape& shape) {
    HostTensor out = HostTensor::zeros_int32(shape);
    std::memcpy(out.bytes.data(), acc.data(), acc.size() * 4);
    return out;
}

HostTensor requantize_int8(const std::vector<int32_t>& acc, const Shape& shape,
                           const std::vector<QuantMultiplier>& per_channel, Int8Clamp clamp) {
    HostTensor out = HostTensor::zeros(shape, Precision::Int8);
    const int64_t pixels = shape.h * shape.w;
    int8_t* dst = out.int8();
    for (int64_t plane = 0; plane < shape.n * shape.c; ++plane) {  // (image, channel): one multiplier
        const QuantMultiplier m = per_channel[size_t(plane % shape.c)];
        for (int64_t i = plane * pixels; i < (plane + 1) * pixels; ++i)
            dst[i] = clamp_int8(requantize(acc[size_t(i)], m), clamp);
    }
    return out;
}

HostTensor store_float(const std::vector<float>& acc, const Shape& shape, Activation act, Precision p) {
    HostTensor out = HostTensor::zeros(shape, p);
    std::vector<float> activated(size_t(shape.elements()));
    for (size_t i = 0; i < activated.size(); ++i) activated[i] = apply_activation(acc[i], act);
    store_reals(activated.data(), activated.size(), p, out.bytes.data());
    return out;
}

HostTensor max_pool(const HostTensor& in, const Shape& out_shape, const Window2d& w) {
    HostTensor out = HostTensor::zeros(out_shape, in.precision);
    const size_t bytes = element_bytes(in.precision);
    for_each_window(in.shape, out_shape, w, [&](int64_t o, int64_t base, int64_t y0, int64_t x0) {
        float best = -std::numeric_limits<float>::infinity();
        int64_t best_index = -1;
        for (int64_t r = 0; r < w.kernel_h; ++r)
            for (int64_t s = 0; s < w.kernel_w; ++s) {
                const int64_t y = y0 + r * w.dilation_h, x = x0 + s * w.dilation_w;
                if (y < 0 || y >= in.shape.h || x < 0 || x >= in.shape.w) continue;
                const int64_t i = base + y * in.shape.w + x;
                if (best_index < 0 || in.value(i) > best) {
                    best = in.value(i);
                    best_index = i;
                }
            }
        std::memcpy(&out.bytes[size_t(o) * bytes], &in.bytes[size_t(best_index) * bytes], bytes);
    });
    return out;
}

HostTensor avg_pool(const HostTensor& in, const Shape& out_shape, const Window2d& w, bool count_include_pad) {
    HostTensor out = HostTensor::zeros(out_shape, in.precision);
    const bool int8 = in.precision == Precision::Int8;
    for_each_window(in.shape, out_shape, w, [&](int64_t o, int64_t base, int64_t y0, int64_t x0) {
        int64_t sum_q = 0, valid = 0;
        float sum_f = 0.0f;
        for (int64_t r = 0; r < w.kernel_h; ++r)
            for (int64_t s = 0; s < w.kernel_w; ++s) {
                const int64_t y = y0 + r * w.dilation_h, x = x0 + s * w.dilation_w;
                if (y < 0 || y >= in.shape.h || x < 0 || x >= in.shape.w) continue;
                const int64_t i = base + y * in.shape.w + x;
                ++valid;
                if (int8)
                    sum_q += in.int8()[i];
                else
                    sum_f += in.value(i);
            }
        const int64_t count = count_include_pad ? w.kernel_h * w.kernel_w : valid;
        if (int8)
            out.int8()[o] = saturate_int8(rounding_scale(sum_q, average_multiplier(count)));
        else
            out.set_real(o, sum_f / float(count));
    });
    return out;
}

HostTensor global_avg_pool(const HostTensor& in) {
    Window2d w;
    w.kernel_h = w.stride_h = in.shape.h;
    w.kernel_w = w.stride_w = in.shape.w;
    return avg_pool(in, Shape{in.shape.n, in.shape.c, 1, 1}, w, true);
}

HostTensor add_int8(const HostTensor& a, const HostTensor& b, AddRescale r, Int8Clamp clamp) {
    HostTensor out = HostTensor::zeros(a.shape, Precision::Int8);
    for (int64_t i = 0; i < a.elements(); ++i)
        out.int8()[i] = clamp_int8(add_requantize(a.int8()[i], b.int8()[i], r), clamp);
    return out;
}

HostTensor add_float(const HostTensor& a, const HostTensor& b, Activation act) {
    HostTensor out = HostTensor::zeros(a.shape, a.precision);
    for (int64_t i = 0; i < a.elements(); ++i) out.set_real(i, apply_activation(a.value(i) + b.value(i), act));
    return out;
}

HostTensor clamp(const HostTensor& in, Int8Clamp int8_bounds, float min, float max) {
    HostTensor out = HostTensor::zeros(in.shape, in.precision);
    for (int64_t i = 0; i < in.elements(); ++i) {
        if (in.precision == Precision::Int8)
            out.int8()[i] = clamp_int8(in.int8()[i], int8_bounds);
        else
            out.set_real(i, std::min(std::max(in.value(i), min), max));
    }
    return out;
}

HostTensor unary(const HostTensor& in, const UnaryAttrs& attrs, const std::vector<int8_t>& table) {
    HostTensor out = HostTensor::zeros(in.shape, in.precision);
    for (int64_t i = 0; i < in.elements(); ++i) {
        if (in.precision == Precision::Int8) {
            out.int8()[i] = table[size_t(in.int8()[i] + 128)];
            continue;
        }
        const float x = in.value(i);
        float y = 0.0f;
        switch (attrs.fn) {
            case UnaryFn::Sigmoid: y = 1.0f / (1.0f + std::exp(-x)); break;
            case UnaryFn::HardSigmoid: y = std::min(1.0f, std::max(0.0f, attrs.alpha * x + attrs.beta)); break;
            case UnaryFn::Tanh: y = std::tanh(x); break;
            case UnaryFn::Gelu: y = 0.5f * x * (1.0f + std::erf(x / std::sqrt(2.0f))); break;
            case UnaryFn::Erf: y = std::erf(x); break;
            case UnaryFn::Sqrt: y = std::sqrt(x); break;
        }
        out.set_real(i, y);
    }
    return out;
}

HostTensor multiply(const HostTensor& a, const HostTensor& b, QuantMultiplier m) {
    HostTensor out = HostTensor::zeros(a.shape, a.precision);
    const int64_t pixels = a.shape.h * a.shape.w;
    const bool per_channel = b.elements() != a.elements();  // N x C x 1 x 1
    for (int64_t i = 0; i < a.elements(); ++i) {
        const int64_t j = per_channel ? i / pixels : i;
        if (a.precision == Precision::Int8)
            out.int8()[i] = mul_int8(a.int8()[i], b.int8()[j], m);
        else
            out.set_real(i, a.value(i) * b.value(j));
    }
    return out;
}

HostTensor softmax(const HostTensor& in, const SoftmaxAttrs& attrs, float int8_scale) {
    HostTensor out = HostTensor::zeros(in.shape, in.precision);
    const AxisView v = axis_view(in.shape, attrs.axis, attrs.flatten);
    for (int64_t o = 0; o < v.outer; ++o)
        for (int64_t i = 0; i < v.inner; ++i) {
            const int64_t first = o * v.length * v.inner + i;
            if (in.precision == Precision::Int8)
                softmax_int8(in.int8() + first, out.int8() + first, v.length, v.inner, int8_scale);
            else
                softmax_real(in.bytes.data(), out.bytes.data(), first, v.length, v.inner, in.precision);
        }
    return out;
}

HostTensor layer_norm(const HostTensor& in, float epsilon, float in_scale, float out_scale,
                      const std::vector<float>& gamma, const std::vector<float>& beta) {
    HostTensor out = HostTensor::zeros(in.shape, in.precision);
    const int64_t pixels = in.shape.h * in.shape.w;
    const LayerNormParams params{epsilon, in_scale, out_scale, gamma.data(), beta.data(), 1};
    for (int64_t n = 0; n < in.shape.n; ++n)
        for (int64_t p = 0; p < pixels; ++p)  // one row: the pixel's channels, `pixels` apart
            layer_norm_row(in.precision, in.bytes.data(), out.bytes.data(), n * in.shape.c * pixels + p, in.shape.c,
                           pixels, params);
    return out;
}

HostTensor channel_affine(const HostTensor& in, const std::vector<float>& scale, const std::vector<float>& shift) {
    HostTensor out = HostTensor::zeros(in.shape, in.precision);
    const int64_t pixels = in.shape.h * in.shape.w;
    for (int64_t i = 0; i < in.elements(); ++i) {
        const size_t c = size_t((i / pixels) % in.shape.c);
        out.set_real(i, in.value(i) * scale[c] + shift[c]);
    }
    return out;
}

HostTensor concat(const std::vector<const HostTensor*>& in, const Shape& out_shape, int axis,
                  const std::vector<QuantMultiplier>& rescale) {
    const Precision p = in.front()->precision;
    HostTensor out = HostTensor::zeros(out_shape, p);
    const AxisView ov = axis_view(out_shape, axis, false);
    int64_t offset = 0;  // along the axis
    for (size_t k = 0; k < in.size(); ++k) {
        const HostTensor& t = *in[k];
        const AxisView v = axis_view(t.shape, axis, false);
        for (int64_t o = 0; o < v.outer; ++o)
            for (int64_t a = 0; a < v.length; ++a)
                for (int64_t i = 0; i < v.inner; ++i) {
                    const int64_t src = (o * v.length + a) * v.inner + i;
                    const int64_t dst = (o * ov.length + offset + a) * ov.inner + i;
                    if (p == Precision::Int8)
                        out.int8()[dst] = saturate_int8(rounding_scale(t.int8()[src], rescale[k]));
                    else
                        out.set_real(dst, t.value(src));
                }
        offset += v.length;
    }
    return out;
}

}  // namespace npu

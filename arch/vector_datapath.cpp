#include "arch/vector_datapath.h"

#include <algorithm>
#include <cstring>

#include "kernels/numerics/vector_math.h"

namespace npu {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t window_area(const isa::Vector& v) { return v.window.kernel_h * v.window.kernel_w; }

float activate(float x, Activation a) {
    if (a == Activation::Relu) return activate_relu(x);
    if (a == Activation::Relu6) return activate_relu6(x);
    return x;
}

int8_t clamp(int64_t x, Int8Clamp c) { return int8_t(std::min<int64_t>(std::max<int64_t>(x, c.lo), c.hi)); }

struct ChannelParams {
    int32_t bias_bits, multiplier, shift;
};

// Accumulator [group][m][filter] -> dst [n][group * filters + filter][y][x].
void requantize_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const int64_t groups = v.src_extent[0], m_size = v.src_extent[1], filters = v.src_extent[2];
    const int64_t pixels = v.dst_extent[2] * v.dst_extent[3];
    for (int64_t j = 0; j < groups; ++j)
        for (int64_t f = 0; f < filters; ++f) {
            const int64_t channel = j * filters + f;
            ChannelParams cp;
            std::memcpy(&cp, o.params + channel * isa::kChannelParamBytes, sizeof cp);
            for (int64_t m = 0; m < m_size; ++m) {
                const int64_t n = m / pixels, pixel = m % pixels;
                const int64_t dst = (n * v.dst_extent[1] + channel) * pixels + pixel;
                const int64_t src = (j * m_size + m) * filters + f;
                if (p == Precision::Int8) {
                    const int64_t acc = int64_t(static_cast<const int32_t*>(o.accumulator)[src]) + cp.bias_bits;
                    const int8_t q = clamp(rounding_scale(acc, QuantMultiplier{cp.multiplier, cp.shift}), v.clamp);
                    reinterpret_cast<int8_t*>(o.dst)[dst] = q;
                } else {
                    float bias;
                    std::memcpy(&bias, &cp.bias_bits, sizeof bias);
                    const float acc = static_cast<const float*>(o.accumulator)[src] + bias;
                    reinterpret_cast<Half*>(o.dst)[dst] = float_to_half(activate(acc, v.activation));
                }
            }
        }
}

// Max and average pooling over the loaded input box.
void pool_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const Window2d& w = v.window;
    const auto& se = v.src_extent;
    const auto& de = v.dst_extent;
    const bool is_max = v.op == isa::VectorOp::MaxPool;
    for (int64_t plane = 0; plane < de[0] * de[1]; ++plane)
        for (int64_t y = 0; y < de[2]; ++y)
            for (int64_t x = 0; x < de[3]; ++x) {
                const int64_t iy0 = (v.dst_h0 + y) * w.stride_h - w.pad_top;
                const int64_t ix0 = (v.dst_w0 + x) * w.stride_w - w.pad_left;
                int64_t valid = 0, sum_q = 0;
                float sum_f = 0.0f, best = 0.0f;
                int64_t best_q = 0;
                for (int64_t r = 0; r < w.kernel_h; ++r)
                    for (int64_t s = 0; s < w.kernel_w; ++s) {
                        const int64_t iy = iy0 + r * w.dilation_h, ix = ix0 + s * w.dilation_w;
                        if (iy < 0 || iy >= v.tensor_h || ix < 0 || ix >= v.tensor_w) continue;
                        const int64_t i = (plane * se[2] + (iy - v.src_h0)) * se[3] + (ix - v.src_w0);
                        if (p == Precision::Int8) {
                            const int64_t q = reinterpret_cast<const int8_t*>(o.src)[i];
                            best_q = valid == 0 ? q : std::max(best_q, q);
                            sum_q += q;
                        } else {
                            const float f = half_to_float(reinterpret_cast<const Half*>(o.src)[i]);
                            best = valid == 0 ? f : std::max(best, f);
                            sum_f += f;
                        }
                        ++valid;
                    }
                const int64_t count = v.count_include_pad ? window_area(v) : valid;
                const int64_t d = (plane * de[2] + y) * de[3] + x;
                if (p == Precision::Int8)
                    reinterpret_cast<int8_t*>(o.dst)[d] =
                        is_max ? int8_t(best_q) : saturate_int8(rounding_scale(sum_q, average_multiplier(count)));
                else
                    reinterpret_cast<Half*>(o.dst)[d] = float_to_half(is_max ? best : sum_f / float(count));
            }
}

void global_pool_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const int64_t planes = v.src_extent[0] * v.src_extent[1], area = v.src_extent[2] * v.src_extent[3];
    for (int64_t plane = 0; plane < planes; ++plane) {
        int64_t sum_q = 0;
        float sum_f = 0.0f;
        for (int64_t i = plane * area; i < (plane + 1) * area; ++i) {
            if (p == Precision::Int8) sum_q += reinterpret_cast<const int8_t*>(o.src)[i];
            else sum_f += half_to_float(reinterpret_cast<const Half*>(o.src)[i]);
        }
        if (p == Precision::Int8)
            reinterpret_cast<int8_t*>(o.dst)[plane] = saturate_int8(rounding_scale(sum_q, average_multiplier(area)));
        else
            reinterpret_cast<Half*>(o.dst)[plane] = float_to_half(sum_f / float(area));
    }
}

void elementwise_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const int64_t count = v.dst_elements();
    const bool add = v.op == isa::VectorOp::Add;
    for (int64_t i = 0; i < count; ++i) {
        if (p == Precision::Int8) {
            const int8_t a = reinterpret_cast<const int8_t*>(o.src)[i];
            reinterpret_cast<int8_t*>(o.dst)[i] =
                add ? clamp(add_requantize(a, reinterpret_cast<const int8_t*>(o.src2)[i], v.add), v.clamp)
                    : clamp(a, v.clamp);
        } else {
            float a = half_to_float(reinterpret_cast<const Half*>(o.src)[i]);
            if (add) a += half_to_float(reinterpret_cast<const Half*>(o.src2)[i]);
            reinterpret_cast<Half*>(o.dst)[i] = float_to_half(activate(a, v.activation));
        }
    }
}

void softmax_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const int64_t rows = v.src_extent[0], row = v.src_extent[1];
    for (int64_t r = 0; r < rows; ++r) {
        if (p == Precision::Int8)
            softmax_int8(reinterpret_cast<const int8_t*>(o.src) + r * row,
                         reinterpret_cast<int8_t*>(o.dst) + r * row, row, v.softmax_scale);
        else
            softmax_fp16(reinterpret_cast<const Half*>(o.src) + r * row,
                         reinterpret_cast<Half*>(o.dst) + r * row, row);
    }
}

}  // namespace

int64_t vector_element_ops(const isa::Vector& v) {
    switch (v.op) {
        case isa::VectorOp::MaxPool:
        case isa::VectorOp::AvgPool: return v.dst_elements() * window_area(v);
        case isa::VectorOp::GlobalAvgPool: return v.src_elements();
        case isa::VectorOp::Softmax: return 3 * v.src_elements();
        default: return v.dst_elements();
    }
}

Cycles vector_cycles(const isa::Vector& v, int64_t lanes) {
    return Cycles(ceil_div(vector_element_ops(v), lanes));
}

void execute_vector(const isa::Vector& v, Precision p, const VectorOperands& o) {
    switch (v.op) {
        case isa::VectorOp::Requantize: requantize_tile(v, p, o); break;
        case isa::VectorOp::MaxPool:
        case isa::VectorOp::AvgPool: pool_tile(v, p, o); break;
        case isa::VectorOp::GlobalAvgPool: global_pool_tile(v, p, o); break;
        case isa::VectorOp::Add:
        case isa::VectorOp::Relu: elementwise_tile(v, p, o); break;
        case isa::VectorOp::Softmax: softmax_tile(v, p, o); break;
    }
}

}  // namespace npu

#include "arch/vector_datapath.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/shape.h"
#include "kernels/numerics/vector_math.h"

namespace npu {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t window_area(const isa::Vector& v) { return v.window.kernel_h * v.window.kernel_w; }

int64_t elements(const std::array<int64_t, 4>& e) { return e[0] * e[1] * e[2] * e[3]; }

float activate(float x, Activation a) {
    if (a == Activation::Relu) return activate_relu(x);
    if (a == Activation::Relu6) return activate_relu6(x);
    return x;
}

int8_t clamp(int64_t x, Int8Clamp c) { return int8_t(std::min<int64_t>(std::max<int64_t>(x, c.lo), c.hi)); }

int8_t* as_int8(uint8_t* p) { return reinterpret_cast<int8_t*>(p); }
const int8_t* as_int8(const uint8_t* p) { return reinterpret_cast<const int8_t*>(p); }

struct ChannelParams {
    int32_t word0, word1, word2;
};

ChannelParams channel_params(const VectorOperands& o, int64_t channel) {
    ChannelParams cp;
    std::memcpy(&cp, o.params + channel * isa::kChannelParamBytes, sizeof cp);
    return cp;
}

float as_float(int32_t bits) {
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

// Accumulator [group][m][filter] -> dst [n][group * filters + filter][y][x].
void requantize_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const int64_t groups = v.src_extent[0], m_size = v.src_extent[1], filters = v.src_extent[2];
    const int64_t pixels = v.dst_extent[2] * v.dst_extent[3];
    for (int64_t j = 0; j < groups; ++j)
        for (int64_t f = 0; f < filters; ++f) {
            const int64_t channel = j * filters + f;
            const ChannelParams cp = channel_params(o, channel);
            int64_t n = 0, pixel = 0;  // m = n * pixels + pixel, without a division per element
            for (int64_t m = 0; m < m_size; ++m) {
                const int64_t dst = (n * v.dst_extent[1] + channel) * pixels + pixel;
                const int64_t src = (j * m_size + m) * filters + f;
                if (p == Precision::Int8) {
                    const int32_t acc = static_cast<const int32_t*>(o.accumulator)[src] + cp.word0;
                    if (v.rule == isa::RequantRule::Int32)
                        std::memcpy(o.dst + dst * 4, &acc, 4);
                    else if (v.rule == isa::RequantRule::OnnxFloat)
                        as_int8(o.dst)[dst] = requantize_round_even(acc, as_float(cp.word1), v.out_zero_point);
                    else
                        as_int8(o.dst)[dst] = clamp(rounding_scale(acc, QuantMultiplier{cp.word1, cp.word2}), v.clamp);
                } else {
                    const float acc = static_cast<const float*>(o.accumulator)[src] + as_float(cp.word0);
                    store_real(o.dst, dst, activate(acc, v.activation), p);
                }
                if (++pixel == pixels) pixel = 0, ++n;
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
                int64_t valid = 0, sum_q = 0, best_q = 0;
                float sum_f = 0.0f, best = 0.0f;
                for (int64_t r = 0; r < w.kernel_h; ++r)
                    for (int64_t s = 0; s < w.kernel_w; ++s) {
                        const int64_t iy = iy0 + r * w.dilation_h, ix = ix0 + s * w.dilation_w;
                        if (iy < 0 || iy >= v.tensor_h || ix < 0 || ix >= v.tensor_w) continue;
                        const int64_t i = (plane * se[2] + (iy - v.src_h0)) * se[3] + (ix - v.src_w0);
                        if (p == Precision::Int8) {
                            const int64_t q = as_int8(o.src)[i];
                            best_q = valid == 0 ? q : std::max(best_q, q);
                            sum_q += q;
                        } else {
                            const float f = load_real(o.src, i, p);
                            best = valid == 0 ? f : std::max(best, f);
                            sum_f += f;
                        }
                        ++valid;
                    }
                const int64_t count = v.count_include_pad ? window_area(v) : valid;
                const int64_t d = (plane * de[2] + y) * de[3] + x;
                if (p == Precision::Int8)
                    as_int8(o.dst)[d] =
                        is_max ? int8_t(best_q) : saturate_int8(rounding_scale(sum_q, average_multiplier(count)));
                else
                    store_real(o.dst, d, is_max ? best : sum_f / float(count), p);
            }
}

void global_pool_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const int64_t planes = v.src_extent[0] * v.src_extent[1], area = v.src_extent[2] * v.src_extent[3];
    for (int64_t plane = 0; plane < planes; ++plane) {
        int64_t sum_q = 0;
        float sum_f = 0.0f;
        for (int64_t i = plane * area; i < (plane + 1) * area; ++i) {
            if (p == Precision::Int8)
                sum_q += as_int8(o.src)[i];
            else
                sum_f += load_real(o.src, i, p);
        }
        if (p == Precision::Int8)
            as_int8(o.dst)[plane] = saturate_int8(rounding_scale(sum_q, average_multiplier(area)));
        else
            store_real(o.dst, plane, sum_f / float(area), p);
    }
}

// The gradient of a max or average pool over whole planes (src: d loss / d output, dst: d loss /
// d input, MaxPoolGrad's src2: the pool's input), in the order the CPU trainer adds it: output by
// output, window cell by window cell, summed in FP32, then stored.
void pool_grad_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const Window2d& w = v.window;
    const auto& se = v.src_extent;
    const auto& de = v.dst_extent;
    std::vector<float> dx(size_t(de[0] * de[1] * de[2] * de[3]), 0.0f);
    std::vector<int64_t> cells;
    for (int64_t plane = 0; plane < se[0] * se[1]; ++plane)
        for (int64_t y = 0; y < se[2]; ++y)
            for (int64_t x = 0; x < se[3]; ++x) {
                cells.clear();
                for (int64_t r = 0; r < w.kernel_h; ++r)
                    for (int64_t s = 0; s < w.kernel_w; ++s) {
                        const int64_t iy = y * w.stride_h - w.pad_top + r * w.dilation_h;
                        const int64_t ix = x * w.stride_w - w.pad_left + s * w.dilation_w;
                        if (iy >= 0 && iy < de[2] && ix >= 0 && ix < de[3])
                            cells.push_back((plane * de[2] + iy) * de[3] + ix);
                    }
                const float g = load_real(o.src, (plane * se[2] + y) * se[3] + x, p);
                if (v.op == isa::VectorOp::MaxPoolGrad) {
                    int64_t best = -1;
                    for (int64_t i : cells)
                        if (best < 0 || load_real(o.src2, i, p) > load_real(o.src2, best, p)) best = i;
                    if (best >= 0) dx[size_t(best)] += g;
                } else {
                    const float count = float(v.count_include_pad ? window_area(v) : int64_t(cells.size()));
                    for (int64_t i : cells) dx[size_t(i)] += g / count;
                }
            }
    for (size_t i = 0; i < dx.size(); ++i) store_real(o.dst, int64_t(i), dx[i], p);
}

// Batchnorm's batch statistics, channel by channel over (n, pixel) in the CPU trainer's order.
void channel_stats_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const auto& se = v.src_extent;
    const int64_t pixels = se[2] * se[3];
    const double m = double(se[0] * pixels);
    for (int64_t c = 0; c < se[1]; ++c) {
        auto each = [&](auto f) {
            for (int64_t n = 0; n < se[0]; ++n)
                for (int64_t k = 0; k < pixels; ++k) f(double(load_real(o.src, (n * se[1] + c) * pixels + k, p)));
        };
        double sum = 0.0, squares = 0.0;
        each([&](double x) { sum += x; });
        const double mean = sum / m;
        each([&](double x) { squares += (x - mean) * (x - mean); });
        store_real(o.dst, c, float(mean), Precision::Fp32);
        store_real(o.dst, se[1] + c, float(1.0 / std::sqrt(squares / m + v.beta)), Precision::Fp32);
    }
}

// Batchnorm's backward over a box of whole channels, in the CPU trainer's arithmetic: xhat =
// (x - mean) * inv_std in float, the sums in double, dx = gamma inv_std / m (m dz - sum dz -
// xhat sum dz xhat).
void batchnorm_grad_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const auto& se = v.src_extent;
    const int64_t pixels = se[2] * se[3];
    const double m = double(se[0] * pixels);
    const bool sums = v.op == isa::VectorOp::BatchNormSums;
    const int64_t record = sums ? isa::kChannelParamBytes : isa::kBatchNormGradParamBytes;
    for (int64_t c = 0; c < se[1]; ++c) {
        const uint8_t* r = o.params + c * record;
        double sum_dz = 0.0, sum_dz_xhat = 0.0;
        float mean, inv_std, gamma = 0.0f;
        if (sums) {
            std::memcpy(&mean, r, 4);
            std::memcpy(&inv_std, r + 4, 4);
        } else {
            std::memcpy(&sum_dz, r, 8);
            std::memcpy(&sum_dz_xhat, r + 8, 8);
            std::memcpy(&mean, r + 16, 4);
            std::memcpy(&inv_std, r + 20, 4);
            std::memcpy(&gamma, r + 24, 4);
        }
        for (int64_t n = 0; n < se[0]; ++n)
            for (int64_t k = 0; k < pixels; ++k) {
                const int64_t i = (n * se[1] + c) * pixels + k;
                const float x = load_real(o.src, i, p), dz = load_real(o.src2, i, p);
                if (sums) {
                    sum_dz += dz;
                    sum_dz_xhat += double(dz) * (x - mean) * inv_std;
                } else {
                    const double xhat = (x - mean) * inv_std;
                    store_real(o.dst, i, float(gamma * inv_std / m * (m * dz - sum_dz - xhat * sum_dz_xhat)), p);
                }
            }
        if (sums) {
            std::memcpy(o.dst + c * 16, &sum_dz, 8);
            std::memcpy(o.dst + c * 16 + 8, &sum_dz_xhat, 8);
        }
    }
}

// Add, Clamp, Copy and Affine: one input element (two for Add) per output element.
void elementwise_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const int64_t count = v.dst_elements();
    const int64_t pixels = v.dst_extent[2] * v.dst_extent[3];
    for (int64_t i = 0; i < count; ++i) {
        if (p == Precision::Int8) {
            const int8_t a = as_int8(o.src)[i];
            int8_t out = a;
            if (v.op == isa::VectorOp::Add) out = clamp(add_requantize(a, as_int8(o.src2)[i], v.add), v.clamp);
            if (v.op == isa::VectorOp::Clamp) out = clamp(a, v.clamp);
            if (v.op == isa::VectorOp::Copy) out = saturate_int8(rounding_scale(a, v.rescale));
            if (v.op == isa::VectorOp::Unary) out = unary_int8(a, v.unary_table->data());
            if (v.op == isa::VectorOp::Mul)
                out = mul_int8(a, as_int8(o.src2)[v.src2_per_channel ? i / pixels : i], v.mul);
            as_int8(o.dst)[i] = out;
            continue;
        }
        float a = load_real(o.src, i, p);
        switch (v.op) {
            case isa::VectorOp::Add: a = activate(a + load_real(o.src2, i, p), v.activation); break;
            case isa::VectorOp::Unary: a = unary_value(v.unary, a); break;
            case isa::VectorOp::Mul: a = a * load_real(o.src2, v.src2_per_channel ? i / pixels : i, p); break;
            case isa::VectorOp::Clamp: a = std::min(std::max(a, v.clamp_min), v.clamp_max); break;
            case isa::VectorOp::Axpby: a = float(v.alpha * double(a) + v.beta * double(load_real(o.src2, i, p))); break;
            case isa::VectorOp::AxpbySquare: {
                const double b = load_real(o.src2, i, p);
                a = float(v.alpha * double(a) + v.beta * b * b);
                break;
            }
            case isa::VectorOp::SqrtShift: a = float(std::sqrt(v.alpha * double(a)) + v.beta); break;
            case isa::VectorOp::Divide: a = float(double(a) / double(load_real(o.src2, i, p))); break;
            case isa::VectorOp::ClampGrad:
                a = a > v.clamp_min && a < v.clamp_max ? load_real(o.src2, i, p) : 0.0f;
                break;
            case isa::VectorOp::Affine: {
                const ChannelParams cp = channel_params(o, (i / pixels) % v.dst_extent[1]);
                a = a * as_float(cp.word0) + as_float(cp.word1);
                break;
            }
            default: break;
        }
        store_real(o.dst, i, a, p);
    }
}

// One rounding from the tile's precision to convert_to (store_real's: to nearest, ties to even).
void convert_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    for (int64_t i = 0; i < v.dst_elements(); ++i) store_real(o.dst, i, load_real(o.src, i, p), v.convert_to);
}

// Calls visit(row element, plane element) for every im2col cell of a tile's planes that reads
// its plane (src or dst box of whole planes: 1 x channels x H x W), in col2im's order.
template <class Visit>
void for_each_window_cell(const isa::Vector& v, const std::array<int64_t, 4>& planes,
                          const std::array<int64_t, 4>& rows, Visit visit) {
    const Window2d& w = v.window;
    const int64_t h = planes[2], wd = planes[3], oh = rows[2], ow = rows[3];
    for (int64_t c = 0; c < planes[1]; ++c)
        for (int64_t r = 0; r < w.kernel_h; ++r)
            for (int64_t s = 0; s < w.kernel_w; ++s) {
                const int64_t row = (c * w.kernel_h + r) * w.kernel_w + s;
                for (int64_t y = 0; y < oh; ++y) {
                    const int64_t iy = y * w.stride_h - w.pad_top + r * w.dilation_h;
                    if (iy < 0 || iy >= h) continue;
                    for (int64_t x = 0; x < ow; ++x) {
                        const int64_t ix = x * w.stride_w - w.pad_left + s * w.dilation_w;
                        if (ix >= 0 && ix < wd) visit((row * oh + y) * ow + x, (c * h + iy) * wd + ix);
                    }
                }
            }
}

void im2col_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const int64_t rows = v.src_extent[1] * v.window.kernel_h * v.window.kernel_w;
    const int64_t pixels = v.dst_extent[2] * v.dst_extent[3];
    std::memset(o.dst, 0, size_t(rows * pixels) * element_bytes(p));
    for_each_window_cell(v, v.src_extent, v.dst_extent,
                         [&](int64_t row, int64_t cell) { store_real(o.dst, row, load_real(o.src, cell, p), p); });
    for (int64_t k = rows * pixels; k < v.dst_elements(); ++k) store_real(o.dst, k, 1.0f, p);  // the ones row
}

void col2im_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    std::vector<float> dx(size_t(v.dst_elements()), 0.0f);
    for_each_window_cell(v, v.dst_extent, v.src_extent,
                         [&](int64_t row, int64_t cell) { dx[size_t(cell)] += load_real(o.src, row, p); });
    for (size_t i = 0; i < dx.size(); ++i) store_real(o.dst, int64_t(i), dx[i], Precision::Fp32);
}

void softmax_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const Shape box{v.src_extent[0], v.src_extent[1], v.src_extent[2], v.src_extent[3]};
    const AxisView view = axis_view(box, v.softmax.axis, v.softmax.flatten);
    for (int64_t outer = 0; outer < view.outer; ++outer)
        for (int64_t inner = 0; inner < view.inner; ++inner) {
            const int64_t first = outer * view.length * view.inner + inner;
            if (p == Precision::Int8)
                softmax_int8(as_int8(o.src) + first, as_int8(o.dst) + first, view.length, view.inner, v.in_scale);
            else
                softmax_real(o.src, o.dst, first, view.length, view.inner, p);
        }
}

// One row per pixel of the box: its channels, `pixels` apart; gamma and beta from the tile's
// channel records (the box holds every channel: the lowering never splits them).
void layer_norm_tile(const isa::Vector& v, Precision p, const VectorOperands& o) {
    const int64_t channels = v.src_extent[1], pixels = v.src_extent[2] * v.src_extent[3];
    std::vector<float> gamma(static_cast<size_t>(channels)), beta(static_cast<size_t>(channels));
    for (int64_t c = 0; c < channels; ++c) {
        const ChannelParams cp = channel_params(o, c);
        gamma[size_t(c)] = as_float(cp.word0);
        beta[size_t(c)] = as_float(cp.word1);
    }
    const LayerNormParams params{v.norm_epsilon, v.in_scale, v.norm_out_scale, gamma.data(), beta.data(), 1};
    for (int64_t n = 0; n < v.src_extent[0]; ++n)
        for (int64_t px = 0; px < pixels; ++px)
            layer_norm_row(p, o.src, o.dst, n * channels * pixels + px, channels, pixels, params);
}

}  // namespace

int64_t vector_element_ops(const isa::Vector& v) {
    switch (v.op) {
        case isa::VectorOp::MaxPool:
        case isa::VectorOp::AvgPool: return v.dst_elements() * window_area(v);
        case isa::VectorOp::GlobalAvgPool: return elements(v.src_extent);
        case isa::VectorOp::MaxPoolGrad:
        case isa::VectorOp::AvgPoolGrad: return elements(v.src_extent) * window_area(v);
        case isa::VectorOp::ChannelStats:
        case isa::VectorOp::BatchNormSums: return 2 * elements(v.src_extent);
        case isa::VectorOp::BatchNormGrad: return 3 * elements(v.src_extent);
        case isa::VectorOp::Softmax:
        case isa::VectorOp::LayerNorm: return 3 * elements(v.src_extent);  // sum, squares, normalize
        case isa::VectorOp::Col2im: return elements(v.src_extent);
        default: return v.dst_elements();
    }
}

Cycles vector_cycles(const isa::Vector& v, int64_t lanes) { return Cycles(ceil_div(vector_element_ops(v), lanes)); }

void execute_vector(const isa::Vector& v, Precision p, const VectorOperands& o) {
    switch (v.op) {
        case isa::VectorOp::Requantize: requantize_tile(v, p, o); break;
        case isa::VectorOp::MaxPool:
        case isa::VectorOp::AvgPool: pool_tile(v, p, o); break;
        case isa::VectorOp::GlobalAvgPool: global_pool_tile(v, p, o); break;
        case isa::VectorOp::MaxPoolGrad:
        case isa::VectorOp::AvgPoolGrad: pool_grad_tile(v, p, o); break;
        case isa::VectorOp::ChannelStats: channel_stats_tile(v, p, o); break;
        case isa::VectorOp::BatchNormSums:
        case isa::VectorOp::BatchNormGrad: batchnorm_grad_tile(v, p, o); break;
        case isa::VectorOp::Softmax: softmax_tile(v, p, o); break;
        case isa::VectorOp::LayerNorm: layer_norm_tile(v, p, o); break;
        case isa::VectorOp::Convert: convert_tile(v, p, o); break;
        case isa::VectorOp::Im2col: im2col_tile(v, p, o); break;
        case isa::VectorOp::Col2im: col2im_tile(v, p, o); break;
        default: elementwise_tile(v, p, o); break;
    }
}

}  // namespace npu

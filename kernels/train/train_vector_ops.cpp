// Element-wise ops and pools: forward and backward on the CPU.
#include <algorithm>
#include <limits>

#include "kernels/train/train_op_parts.h"

namespace npu {
namespace {

// Clamps (relu, relu6, clip): the gradient passes where the input was strictly inside the range.
template <float (*Lo)(const Layer&), float (*Hi)(const Layer&)>
void clamp_forward(const TrainCall& c) {
    const float lo = Lo(c.layer()), hi = Hi(c.layer());
    c.out().resize(c.in().size());
    for (size_t i = 0; i < c.in().size(); ++i) c.out()[i] = c.round(std::clamp(c.in()[i], lo, hi));
}

template <float (*Lo)(const Layer&), float (*Hi)(const Layer&)>
void clamp_backward(const TrainCall& c) {
    const float lo = Lo(c.layer()), hi = Hi(c.layer());
    std::vector<float> dx(c.in().size());
    for (size_t i = 0; i < dx.size(); ++i) dx[i] = c.in()[i] > lo && c.in()[i] < hi ? c.grad()[i] : 0.0f;
    add_rounded(c.in_grad(), dx, c.precision);
}

float zero(const Layer&) { return 0.0f; }
float six(const Layer&) { return 6.0f; }
float infinity(const Layer&) { return std::numeric_limits<float>::infinity(); }
float clip_min(const Layer& l) { return l.clip.min; }
float clip_max(const Layer& l) { return l.clip.max; }

void add_forward(const TrainCall& c) {
    c.out().resize(c.in(0).size());
    for (size_t i = 0; i < c.out().size(); ++i)
        c.out()[i] = c.round(apply_activation(c.in(0)[i] + c.in(1)[i], c.layer().activation));
}

void add_backward(const TrainCall& c) {
    std::vector<float> dz(c.grad().size());
    for (size_t i = 0; i < dz.size(); ++i) dz[i] = activation_grad(c.out()[i], c.grad()[i], c.layer().activation);
    add_rounded(c.in_grad(0), dz, c.precision);
    add_rounded(c.in_grad(1), dz, c.precision);
}

// Calls visit(output index, input index) for every input cell under every output's window
// (padding cells are skipped), in output order.
template <class Visit>
void for_each_window_cell(const Shape& in, const Shape& out, const Window2d& w, Visit visit) {
    for (int64_t plane = 0; plane < out.n * out.c; ++plane)
        for (int64_t oy = 0; oy < out.h; ++oy)
            for (int64_t ox = 0; ox < out.w; ++ox) {
                const int64_t o = (plane * out.h + oy) * out.w + ox;
                for (int64_t i = 0; i < w.kernel_h; ++i) {
                    const int64_t y = oy * w.stride_h - w.pad_top + i * w.dilation_h;
                    if (y < 0 || y >= in.h) continue;
                    for (int64_t j = 0; j < w.kernel_w; ++j) {
                        const int64_t x = ox * w.stride_w - w.pad_left + j * w.dilation_w;
                        if (x >= 0 && x < in.w) visit(o, (plane * in.h + y) * in.w + x);
                    }
                }
            }
}

void maxpool_forward(const TrainCall& c) {
    const Shape out = c.layer().output;
    c.out().assign(size_t(out.elements()), -std::numeric_limits<float>::infinity());
    std::vector<int64_t>& argmax = c.t.argmax[size_t(c.index)];
    argmax.assign(size_t(out.elements()), -1);
    for_each_window_cell(c.in_shape(), out, c.layer().pool.window, [&](int64_t o, int64_t i) {
        if (argmax[size_t(o)] < 0 || c.in()[size_t(i)] > c.out()[size_t(o)]) {
            c.out()[size_t(o)] = c.in()[size_t(i)];
            argmax[size_t(o)] = i;
        }
    });
}

void maxpool_backward(const TrainCall& c) {
    std::vector<float> dx(c.in().size(), 0.0f);
    const std::vector<int64_t>& argmax = c.t.argmax[size_t(c.index)];
    for (size_t o = 0; o < argmax.size(); ++o) dx[size_t(argmax[o])] += c.grad()[o];
    add_rounded(c.in_grad(), dx, c.precision);
}

// The divisor of each output: the window size, or the cells inside the input.
std::vector<float> avg_divisors(const TrainCall& c) {
    const Shape out = c.layer().output;
    const Window2d& w = c.layer().pool.window;
    std::vector<float> count(size_t(out.elements()), 0.0f);
    if (c.layer().pool.count_include_pad) return std::vector<float>(count.size(), float(w.kernel_h * w.kernel_w));
    for_each_window_cell(c.in_shape(), out, w, [&](int64_t o, int64_t) { count[size_t(o)] += 1.0f; });
    return count;
}

void avgpool_forward(const TrainCall& c) {
    const Shape out = c.layer().output;
    const std::vector<float> divisor = avg_divisors(c);
    std::vector<float> sum(size_t(out.elements()), 0.0f);
    for_each_window_cell(c.in_shape(), out, c.layer().pool.window,
                         [&](int64_t o, int64_t i) { sum[size_t(o)] += c.in()[size_t(i)]; });
    c.out().resize(sum.size());
    for (size_t o = 0; o < sum.size(); ++o) c.out()[o] = c.round(sum[o] / divisor[o]);
}

void avgpool_backward(const TrainCall& c) {
    const std::vector<float> divisor = avg_divisors(c);
    std::vector<float> dx(c.in().size(), 0.0f);
    for_each_window_cell(c.in_shape(), c.layer().output, c.layer().pool.window,
                         [&](int64_t o, int64_t i) { dx[size_t(i)] += c.grad()[size_t(o)] / divisor[size_t(o)]; });
    add_rounded(c.in_grad(), dx, c.precision);
}

void global_avgpool_forward(const TrainCall& c) {
    const Shape in = c.in_shape();
    const int64_t pixels = in.h * in.w;
    c.out().assign(size_t(in.n * in.c), 0.0f);
    for (int64_t p = 0; p < in.n * in.c; ++p) {
        float sum = 0.0f;
        for (int64_t k = 0; k < pixels; ++k) sum += c.in()[size_t(p * pixels + k)];
        c.out()[size_t(p)] = c.round(sum / float(pixels));
    }
}

void global_avgpool_backward(const TrainCall& c) {
    const Shape in = c.in_shape();
    const int64_t pixels = in.h * in.w;
    std::vector<float> dx(c.in().size());
    for (size_t i = 0; i < dx.size(); ++i) dx[i] = c.grad()[i / size_t(pixels)] / float(pixels);
    add_rounded(c.in_grad(), dx, c.precision);
}

}  // namespace

TrainOp train_relu_op() { return {LayerKind::Relu, clamp_forward<zero, infinity>, clamp_backward<zero, infinity>}; }
TrainOp train_relu6_op() { return {LayerKind::Relu6, clamp_forward<zero, six>, clamp_backward<zero, six>}; }
TrainOp train_clip_op() {
    return {LayerKind::Clip, clamp_forward<clip_min, clip_max>, clamp_backward<clip_min, clip_max>};
}
TrainOp train_add_op() { return {LayerKind::Add, add_forward, add_backward}; }
TrainOp train_maxpool_op() { return {LayerKind::MaxPool, maxpool_forward, maxpool_backward}; }
TrainOp train_avgpool_op() { return {LayerKind::AvgPool, avgpool_forward, avgpool_backward}; }
TrainOp train_global_avgpool_op() {
    return {LayerKind::GlobalAvgPool, global_avgpool_forward, global_avgpool_backward};
}

}  // namespace npu

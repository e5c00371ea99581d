// conv2d and fully connected: forward, data gradient and weight gradient as GEMMs (the im2col
// view: Y = W * col(X), dW = dZ * col(X)^T, dcol = W^T * dZ folded back by col2im), FP32 sums.
#include <Eigen/Core>

#include "kernels/model/conv_geometry.h"
#include "kernels/train/train_op_parts.h"

namespace npu {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Map = Eigen::Map<RowMatrix>;
using ConstMap = Eigen::Map<const RowMatrix>;

// col[k][p] of one image and group: k = (c, i, j) over the group's channels and the kernel,
// p = an output pixel; padding reads 0.
void im2col(const float* x, const ConvGeometry& g, int64_t group, RowMatrix& col) {
    const Window2d& w = g.window;
    const int64_t cg = g.in_per_group(), oh = g.output.h, ow = g.output.w;
    col.setZero(cg * w.kernel_h * w.kernel_w, oh * ow);
    for (int64_t c = 0; c < cg; ++c)
        for (int64_t i = 0; i < w.kernel_h; ++i)
            for (int64_t j = 0; j < w.kernel_w; ++j) {
                const int64_t k = (c * w.kernel_h + i) * w.kernel_w + j;
                const float* plane = x + (group * cg + c) * g.input.h * g.input.w;
                for (int64_t oy = 0; oy < oh; ++oy) {
                    const int64_t y = oy * w.stride_h - w.pad_top + i * w.dilation_h;
                    if (y < 0 || y >= g.input.h) continue;
                    for (int64_t ox = 0; ox < ow; ++ox) {
                        const int64_t xx = ox * w.stride_w - w.pad_left + j * w.dilation_w;
                        if (xx >= 0 && xx < g.input.w) col(k, oy * ow + ox) = plane[y * g.input.w + xx];
                    }
                }
            }
}

// The adjoint of im2col: every column cell adds into the input cell it was read from.
void col2im(const RowMatrix& col, const ConvGeometry& g, int64_t group, float* dx) {
    const Window2d& w = g.window;
    const int64_t cg = g.in_per_group(), oh = g.output.h, ow = g.output.w;
    for (int64_t c = 0; c < cg; ++c)
        for (int64_t i = 0; i < w.kernel_h; ++i)
            for (int64_t j = 0; j < w.kernel_w; ++j) {
                const int64_t k = (c * w.kernel_h + i) * w.kernel_w + j;
                float* plane = dx + (group * cg + c) * g.input.h * g.input.w;
                for (int64_t oy = 0; oy < oh; ++oy) {
                    const int64_t y = oy * w.stride_h - w.pad_top + i * w.dilation_h;
                    if (y < 0 || y >= g.input.h) continue;
                    for (int64_t ox = 0; ox < ow; ++ox) {
                        const int64_t xx = ox * w.stride_w - w.pad_left + j * w.dilation_w;
                        if (xx >= 0 && xx < g.input.w) plane[y * g.input.w + xx] += col(k, oy * ow + ox);
                    }
                }
            }
}

void conv_forward(const TrainCall& c) {
    const ConvGeometry g = ConvGeometry::from_layer(c.layer(), c.in_shape());
    const int64_t fg = g.out_per_group(), kg = g.k_per_group(), pixels = g.output.h * g.output.w;
    std::vector<float>& y = c.out();
    y.assign(size_t(g.output.elements()), 0.0f);
    RowMatrix col;
    for (int64_t n = 0; n < g.input.n; ++n)
        for (int64_t group = 0; group < g.groups; ++group) {
            im2col(c.in().data() + n * g.input.per_image(), g, group, col);
            const RowMatrix z = ConstMap(c.params.weight.data() + group * fg * kg, fg, kg) * col;
            for (int64_t f = 0; f < fg; ++f) {
                const int64_t channel = group * fg + f;
                const float bias = c.params.bias.empty() ? 0.0f : c.params.bias[size_t(channel)];
                float* out = y.data() + (n * g.output.c + channel) * pixels;
                for (int64_t p = 0; p < pixels; ++p)
                    out[p] = c.round(apply_activation(z(f, p) + bias, c.layer().activation));
            }
        }
}

void conv_backward(const TrainCall& c) {
    const ConvGeometry g = ConvGeometry::from_layer(c.layer(), c.in_shape());
    const int64_t fg = g.out_per_group(), kg = g.k_per_group(), pixels = g.output.h * g.output.w;
    std::vector<float> dx(size_t(g.input.elements()), 0.0f);
    RowMatrix col, dz(fg, pixels);
    for (int64_t n = 0; n < g.input.n; ++n)
        for (int64_t group = 0; group < g.groups; ++group) {
            for (int64_t f = 0; f < fg; ++f) {
                const size_t at = size_t((n * g.output.c + group * fg + f) * pixels);
                for (int64_t p = 0; p < pixels; ++p)
                    dz(f, p) = c.round(
                        activation_grad(c.out()[at + size_t(p)], c.grad()[at + size_t(p)], c.layer().activation));
            }
            im2col(c.in().data() + n * g.input.per_image(), g, group, col);
            Map(c.grads.weight.data() + group * fg * kg, fg, kg) += dz * col.transpose();
            if (!c.grads.bias.empty())
                for (int64_t f = 0; f < fg; ++f) c.grads.bias[size_t(group * fg + f)] += dz.row(f).sum();
            const RowMatrix dcol = ConstMap(c.params.weight.data() + group * fg * kg, fg, kg).transpose() * dz;
            col2im(dcol, g, group, dx.data() + n * g.input.per_image());
        }
    add_rounded(c.in_grad(), dx, c.precision);
}

void fc_forward(const TrainCall& c) {
    const Shape in = c.in_shape();
    const int64_t n = in.n, features = in.per_image(), outs = c.layer().fc.out_features;
    const RowMatrix z =
        ConstMap(c.in().data(), n, features) * ConstMap(c.params.weight.data(), outs, features).transpose();
    c.out().resize(size_t(n * outs));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t o = 0; o < outs; ++o)
            c.out()[size_t(i * outs + o)] = c.round(apply_activation(
                z(i, o) + (c.params.bias.empty() ? 0.0f : c.params.bias[size_t(o)]), c.layer().activation));
}

void fc_backward(const TrainCall& c) {
    const Shape in = c.in_shape();
    const int64_t n = in.n, features = in.per_image(), outs = c.layer().fc.out_features;
    RowMatrix dz(n, outs);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t o = 0; o < outs; ++o) {
            const size_t at = size_t(i * outs + o);
            dz(i, o) = c.round(activation_grad(c.out()[at], c.grad()[at], c.layer().activation));
        }
    Map(c.grads.weight.data(), outs, features) += dz.transpose() * ConstMap(c.in().data(), n, features);
    if (!c.grads.bias.empty())
        for (int64_t o = 0; o < outs; ++o) c.grads.bias[size_t(o)] += dz.col(o).sum();
    const RowMatrix dx = dz * ConstMap(c.params.weight.data(), outs, features);
    add_rounded(c.in_grad(), std::vector<float>(dx.data(), dx.data() + dx.size()), c.precision);
}

}  // namespace

TrainOp train_conv2d_op() { return {LayerKind::Conv2d, conv_forward, conv_backward}; }
TrainOp train_fc_op() { return {LayerKind::FullyConnected, fc_forward, fc_backward}; }

}  // namespace npu

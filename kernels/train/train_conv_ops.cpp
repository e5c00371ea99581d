// conv2d and fully connected: forward, data gradient and weight gradient as GEMMs (the im2col
// view: Y = W * col(X), dW = dZ * col(X)^T, dcol = W^T * dZ folded back by col2im), FP32 sums.
#include <Eigen/Core>

#include "kernels/model/conv_geometry.h"
#include "kernels/train/gemm_order.h"
#include "kernels/train/im2col.h"
#include "kernels/train/train_op_parts.h"

namespace npu {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Map = Eigen::Map<RowMatrix>;
using ConstMap = Eigen::Map<const RowMatrix>;

// The im2col view of one image and group as a K x P matrix.
void im2col(const float* x, const ConvGeometry& g, int64_t group, RowMatrix& col) {
    col.resize(g.k_per_group(), g.output.h * g.output.w);
    npu::im2col(x, g, group, col.data());
}

// A (m x k) times B (k x n), the layer's forward GEMM: Eigen's blocked product, or the sums in
// the call's NPU order.
RowMatrix forward_product(const TrainCall& c, const ConstMap& a, const RowMatrix& b) {
    if (!c.order) return a * b;
    RowMatrix z(a.rows(), b.cols());
    ordered_gemm(a.data(), b.data(), z.data(), a.rows(), a.cols(), b.cols(),
                 c.order->layer_forward(c.layer(), c.in_shape()));
    return z;
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
            const RowMatrix z = forward_product(c, ConstMap(c.params.weight.data() + group * fg * kg, fg, kg), col);
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
            col2im(dcol.data(), g, group, dx.data() + n * g.input.per_image());
        }
    add_rounded(c.in_grad(), dx, c.precision);
}

void fc_forward(const TrainCall& c) {
    const Shape in = c.in_shape();
    const int64_t n = in.n, features = in.per_image(), outs = c.layer().fc.out_features;
    const RowMatrix wt = ConstMap(c.params.weight.data(), outs, features).transpose();
    const RowMatrix z = forward_product(c, ConstMap(c.in().data(), n, features), wt);
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

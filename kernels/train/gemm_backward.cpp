#include "kernels/train/gemm_backward.h"

#include <fmt/format.h>

#include <algorithm>

#include "kernels/model/conv_geometry.h"
#include "kernels/train/im2col.h"

namespace npu {

namespace {

// The bias gradient rides in the weight-gradient GEMM: its input gets one more feature that is
// 1 for every sample, whose weight gradient is the sum of dZ over the samples.
LayerGradients fc_backward(MatrixMultiplier& gemm, int layer, const Shape& in, int64_t outs,
                           const std::vector<float>& x, const std::vector<float>& dz, const LayerParams& p,
                           bool input_gradient) {
    const int64_t features = in.per_image(), bias = p.bias.empty() ? 0 : 1;
    HostMatrix X{in.n, features + bias, std::vector<float>(size_t(in.n * (features + bias)), 1.0f)};
    for (int64_t i = 0; i < in.n; ++i)
        std::copy_n(x.begin() + i * features, features, X.values.begin() + i * (features + bias));
    const HostMatrix dZ{in.n, outs, dz}, W{outs, features, p.weight, 0};
    LayerGradients r;
    const HostMatrix dW = gemm.multiply(GradientGemm::Weight, layer, dZ, true, X, false);  // O x (I + bias)
    r.weight.resize(size_t(outs * features));
    for (int64_t o = 0; o < outs; ++o) {
        std::copy_n(dW.values.begin() + o * (features + bias), features, r.weight.begin() + o * features);
        if (bias) r.bias.push_back(dW.values[size_t(o * (features + 1) + features)]);
    }
    if (input_gradient) r.input = gemm.multiply(GradientGemm::Data, layer, dZ, false, W, false).values;  // N x I
    return r;
}

LayerGradients conv_backward(MatrixMultiplier& gemm, int layer, const ConvGeometry& g, const std::vector<float>& x,
                             const std::vector<float>& dz, const LayerParams& p, bool input_gradient) {
    const int64_t kg = g.k_per_group(), pixels = g.output.h * g.output.w, n = g.input.n;
    const int64_t bias = p.bias.empty() ? 0 : 1;
    LayerGradients r;
    r.weight.assign(p.weight.size(), 0.0f);
    if (bias) r.bias.assign(size_t(g.output.c), 0.0f);
    if (input_gradient) r.input.assign(size_t(g.input.elements()), 0.0f);
    std::vector<float> col(size_t(kg * pixels));
    for (int64_t group = 0; group < g.groups; ++group) {
        // col(X) is Kc x (N P), plus a row of ones for the bias: its weight gradient is the sum
        // of dZ over the batch and the pixels.
        const HostMatrix dZ = conv_group_dz(g, group, dz);
        HostMatrix cols{kg + bias, n * pixels, std::vector<float>(size_t((kg + bias) * n * pixels), 1.0f)};
        for (int64_t i = 0; i < n; ++i) {
            im2col(x.data() + i * g.input.per_image(), g, group, col.data());
            for (int64_t k = 0; k < kg; ++k)
                std::copy_n(col.begin() + k * pixels, pixels, cols.values.begin() + k * n * pixels + i * pixels);
        }
        const HostMatrix W = conv_group_weights(g, group, p);
        unpack_conv_weight_gradient(g, group, bias == 1,
                                    gemm.multiply(GradientGemm::Weight, layer, dZ, false, cols, true),
                                    r);  // Fg x (Kc + bias)
        if (!input_gradient) continue;
        const HostMatrix dcol = gemm.multiply(GradientGemm::Data, layer, W, true, dZ, false);  // Kc x (N P)
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t k = 0; k < kg; ++k)
                std::copy_n(dcol.values.begin() + k * n * pixels + i * pixels, pixels, col.begin() + k * pixels);
            col2im(col.data(), g, group, r.input.data() + i * g.input.per_image());
        }
    }
    return r;
}

}  // namespace

HostMatrix conv_group_dz(const ConvGeometry& g, int64_t group, const std::vector<float>& dz) {
    const int64_t fg = g.out_per_group(), pixels = g.output.h * g.output.w, columns = g.input.n * pixels;
    HostMatrix m{fg, columns, std::vector<float>(size_t(fg * columns))};
    for (int64_t i = 0; i < g.input.n; ++i)
        for (int64_t f = 0; f < fg; ++f)
            std::copy_n(dz.begin() + ((i * g.output.c + group * fg + f) * pixels), pixels,
                        m.values.begin() + f * columns + i * pixels);
    return m;
}

HostMatrix conv_group_weights(const ConvGeometry& g, int64_t group, const LayerParams& p) {
    const int64_t fg = g.out_per_group(), kg = g.k_per_group();
    return HostMatrix{fg, kg,
                      std::vector<float>(p.weight.begin() + group * fg * kg, p.weight.begin() + (group + 1) * fg * kg),
                      group * fg * kg};
}

void unpack_conv_weight_gradient(const ConvGeometry& g, int64_t group, bool bias, const HostMatrix& dw,
                                 LayerGradients& r) {
    const int64_t fg = g.out_per_group(), kg = g.k_per_group(), row = kg + (bias ? 1 : 0);
    for (int64_t f = 0; f < fg; ++f) {
        std::copy_n(dw.values.begin() + f * row, kg, r.weight.begin() + (group * fg + f) * kg);
        if (bias) r.bias[size_t(group * fg + f)] = dw.values[size_t(f * row + kg)];
    }
}

std::vector<BackwardGemm> backward_gemms(const Graph& graph, int layer) {
    const Layer& l = graph.layers[size_t(layer)];
    const bool input_gradient = l.inputs[0] != 0;
    const Shape in = graph.layers[size_t(l.inputs[0])].output;
    std::vector<BackwardGemm> out;
    if (l.kind == LayerKind::FullyConnected) {
        const int64_t n = in.n, features = in.per_image(), outs = l.fc.out_features;
        const int64_t bias = l.fc.bias ? 1 : 0;
        out.push_back({GradientGemm::Weight, outs, n, features + bias, true, false});              // dZ^T [X 1]
        if (input_gradient) out.push_back({GradientGemm::Data, n, outs, features, false, false});  // dZ W
    } else if (l.kind == LayerKind::Conv2d) {
        const ConvGeometry g = ConvGeometry::from_layer(l, in);
        const int64_t columns = g.input.n * g.output.h * g.output.w;
        for (int64_t group = 0; group < g.groups; ++group) {
            const int64_t bias = l.conv.bias ? 1 : 0;
            out.push_back({GradientGemm::Weight, g.out_per_group(), columns, g.k_per_group() + bias, false, true});
            if (input_gradient)
                out.push_back({GradientGemm::Data, g.k_per_group(), g.out_per_group(), columns, true, false});
        }
    }
    return out;
}

LayerGradients gemm_layer_backward(MatrixMultiplier& gemm, const Graph& graph, int layer, const std::vector<float>& x,
                                   const std::vector<float>& dz, const LayerParams& params) {
    const Layer& l = graph.layers[size_t(layer)];
    const Shape in = graph.layers[size_t(l.inputs[0])].output;
    const bool input_gradient = l.inputs[0] != 0;
    if (l.kind == LayerKind::FullyConnected)
        return fc_backward(gemm, layer, in, l.fc.out_features, x, dz, params, input_gradient);
    if (l.kind == LayerKind::Conv2d)
        return conv_backward(gemm, layer, ConvGeometry::from_layer(l, in), x, dz, params, input_gradient);
    throw std::logic_error(fmt::format("gemm_layer_backward: '{}' is a {} layer", l.name, kind_name(l.kind)));
}

}  // namespace npu

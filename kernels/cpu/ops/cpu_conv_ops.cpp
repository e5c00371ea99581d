// conv2d and fully connected on the CPU: one accumulation over the im2col window, then INT8
// requantization (npusim's own, ONNX's, or the raw int32 sums) or a float store.
#include <algorithm>
#include <cmath>

#include "kernels/cpu/ops/calibration.h"
#include "kernels/cpu/ops/cpu_op_parts.h"
#include "kernels/cpu/reference_ops.h"

namespace npu {
namespace {

HostTensor run_weighted(const CpuOpCall& c) {
    const Layer& l = c.layer();
    const QuantLayer& q = c.quant();
    const ConvGeometry g = ConvGeometry::from_layer(l, c.in().shape);
    if (!c.int8())
        return store_float(conv_accumulate_float(c.in(), g, q.weight_f.data(), q.bias_f.data()), l.output, l.activation,
                           c.model.precision);
    const std::vector<int32_t> acc = conv_accumulate_int8(c.in(), g, q.weight_q.data(), q.bias_q.data(),
                                                          c.producer().out_zero_point, q.weight_zero_point);
    if (q.out_int32) return int32_tensor(acc, l.output);
    if (q.onnx_rounding) return requantize_onnx(acc, l.output, q.requant_scale, q.out_zero_point);
    return requantize_int8(acc, l.output, q.requant, q.clamp);
}

// Per-output-channel weight scales, int32 bias at s_in * s_w, and the output scale calibrated on
// the accumulators of the already-quantized input.
void calibrate_weighted(const CalibrationCall& c) {
    const Layer& l = c.layer();
    const LayerTensors& t = c.float_model.tensors[size_t(c.index)];
    QuantLayer& q = c.quant();
    const HostTensor& input = c.outputs[size_t(l.inputs[0])];
    const float s_in = c.producer().out_scale;
    const size_t outs = t.bias.size(), per_out = t.weight.size() / outs;
    std::vector<float> w_scale(outs);
    q.weight_q.resize(t.weight.size());
    q.bias_q.resize(outs);
    for (size_t f = 0; f < outs; ++f) {
        w_scale[f] = choose_scale(&t.weight[f * per_out], per_out);
        quantize_int8(&t.weight[f * per_out], per_out, w_scale[f], &q.weight_q[f * per_out]);
        const double b = std::nearbyint(double(t.bias[f]) / (double(s_in) * w_scale[f]));
        q.bias_q[f] = int32_t(std::clamp(b, -2147483648.0, 2147483647.0));
    }
    const ConvGeometry g = ConvGeometry::from_layer(l, input.shape);
    const std::vector<int32_t> acc = conv_accumulate_int8(input, g, q.weight_q.data(), q.bias_q.data());
    const int64_t pixels = l.output.h * l.output.w;
    std::vector<float> real(acc.size());
    for (size_t plane = 0; plane * size_t(pixels) < acc.size(); ++plane) {  // (image, channel) planes
        const double w = w_scale[plane % outs];
        for (size_t k = plane * size_t(pixels); k < (plane + 1) * size_t(pixels); ++k)
            real[k] = activate(float(double(acc[k]) * s_in * w), l.activation);
    }
    q.out_scale = choose_scale(real.data(), real.size());
    for (size_t f = 0; f < outs; ++f) q.requant.push_back(make_multiplier(double(s_in) * w_scale[f] / q.out_scale));
    q.clamp = activation_clamp(l.activation, q.out_scale);
    if (c.output) *c.output = requantize_int8(acc, l.output, q.requant, q.clamp);  // run_weighted's result
}

}  // namespace

CpuOp cpu_conv2d_op() { return {LayerKind::Conv2d, run_weighted, calibrate_weighted}; }
CpuOp cpu_fc_op() { return {LayerKind::FullyConnected, run_weighted, calibrate_weighted}; }

}  // namespace npu

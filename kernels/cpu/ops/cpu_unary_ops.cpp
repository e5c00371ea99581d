// Sigmoid, hard sigmoid, tanh, GELU, the element-wise product and layer norm on the CPU, with
// their INT8 calibrations: the output scale from the real values the calibration input gives,
// then the unary function's table or the product's multiplier.
#include "kernels/cpu/ops/calibration.h"
#include "kernels/cpu/ops/cpu_op_parts.h"
#include "kernels/cpu/reference_ops.h"
#include "kernels/numerics/layer_norm.h"
#include "kernels/numerics/vector_math.h"

namespace npu {
namespace {

void calibrate_unary(const CalibrationCall& c) {
    const Layer& l = c.layer();
    QuantLayer& q = c.quant();
    const float in_scale = c.producer().out_scale;
    const HostTensor& x = c.outputs[size_t(l.inputs[0])];
    std::vector<float> real(size_t(x.elements()));
    for (size_t k = 0; k < real.size(); ++k) real[k] = unary_value(l.unary, float(x.int8()[k]) * in_scale);
    q.out_scale = choose_scale(real.data(), real.size());
    q.unary_table = unary_table(l.unary, in_scale, q.out_scale);
}

void calibrate_mul(const CalibrationCall& c) {
    const Layer& l = c.layer();
    QuantLayer& q = c.quant();
    const float sa = c.producer(0).out_scale, sb = c.producer(1).out_scale;
    const HostTensor& a = c.outputs[size_t(l.inputs[0])];
    const HostTensor& b = c.outputs[size_t(l.inputs[1])];
    const int64_t pixels = a.shape.h * a.shape.w;
    const bool per_channel = b.elements() != a.elements();
    std::vector<float> real(size_t(a.elements()));
    for (size_t k = 0; k < real.size(); ++k)
        real[k] = float(a.int8()[k]) * sa * float(b.int8()[per_channel ? int64_t(k) / pixels : int64_t(k)]) * sb;
    q.out_scale = choose_scale(real.data(), real.size());
    q.mul = make_multiplier(double(sa) * double(sb) / double(q.out_scale));
}

HostTensor run_layer_norm(const CpuOpCall& c) {
    const QuantLayer& q = c.quant();
    return layer_norm(c.in(), c.layer().norm_epsilon, c.producer().out_scale, q.out_scale, q.weight_f, q.bias_f);
}

// gamma and beta stay FP32 (they are channel records, as a batchnorm's scale and shift); the
// output scale from the real values the calibration input gives.
void calibrate_layer_norm(const CalibrationCall& c) {
    const Layer& l = c.layer();
    QuantLayer& q = c.quant();
    const LayerTensors& t = c.float_model.tensors[size_t(c.index)];
    q.weight_f = t.weight;
    q.bias_f = t.bias;
    const HostTensor& x = c.outputs[size_t(l.inputs[0])];
    const int64_t pixels = x.shape.h * x.shape.w, channels = x.shape.c;
    const float in_scale = c.producer().out_scale;
    std::vector<float> real(size_t(x.elements()));
    for (int64_t row = 0; row < x.shape.n * pixels; ++row) {
        const int64_t first = (row / pixels) * channels * pixels + row % pixels;
        const auto at = [&](int64_t k) { return size_t(first + k * pixels); };
        layer_norm_row(
            channels, l.norm_epsilon, [&](int64_t k) { return mul_rn(float(x.int8()[at(k)]), in_scale); },
            [&](int64_t k, float v) {
                real[at(k)] = layer_norm_affine(v, q.weight_f[size_t(k)], q.bias_f[size_t(k)]);
            });
    }
    q.out_scale = choose_scale(real.data(), real.size());
    if (!c.output) return;
    *c.output = HostTensor::zeros(x.shape, Precision::Int8);
    quantize_int8(real.data(), real.size(), q.out_scale, c.output->int8());
}

}  // namespace

CpuOp cpu_layer_norm_op() { return {LayerKind::LayerNorm, run_layer_norm, calibrate_layer_norm}; }

CpuOp cpu_unary_op() {
    return {LayerKind::Unary, [](const CpuOpCall& c) { return unary(c.in(), c.layer().unary, c.quant().unary_table); },
            calibrate_unary};
}

CpuOp cpu_mul_op() {
    return {LayerKind::Mul, [](const CpuOpCall& c) { return multiply(c.in(0), c.in(1), c.quant().mul); },
            calibrate_mul};
}

}  // namespace npu

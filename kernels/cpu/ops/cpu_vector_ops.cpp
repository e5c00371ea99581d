// Pools, element-wise ops and softmax on the CPU, with their INT8 calibrations.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"
#include "kernels/cpu/ops/calibration.h"
#include "kernels/cpu/ops/cpu_op_parts.h"
#include "kernels/cpu/reference_ops.h"
#include "kernels/numerics/vector_math.h"

namespace npu {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

void keep_input_scale(const CalibrationCall& c) { c.quant().out_scale = c.producer().out_scale; }

// The output scale covers both rescaled inputs and the fused activation.
void calibrate_add(const CalibrationCall& c) {
    const Layer& l = c.layer();
    QuantLayer& q = c.quant();
    const float sa = c.producer(0).out_scale, sb = c.producer(1).out_scale;
    const HostTensor& a = c.outputs[size_t(l.inputs[0])];
    const HostTensor& b = c.outputs[size_t(l.inputs[1])];
    std::vector<float> real(size_t(a.elements()));
    for (size_t k = 0; k < real.size(); ++k)
        real[k] = activate(float(a.int8()[k]) * sa + float(b.int8()[k]) * sb, l.activation);
    q.out_scale = choose_scale(real.data(), real.size());
    q.add = make_add_rescale(double(sa) / q.out_scale, double(sb) / q.out_scale);
    q.clamp = activation_clamp(l.activation, q.out_scale);
}

Int8Clamp clip_clamp(const ClipAttrs& c, float scale) {
    Int8Clamp b;
    b.lo = int32_t(std::clamp<double>(std::ceil(double(c.min) / scale), -128.0, 127.0));
    b.hi = int32_t(std::clamp<double>(std::floor(double(c.max) / scale), -128.0, 127.0));
    return b;
}

}  // namespace

CpuOp cpu_maxpool_op() {
    return {LayerKind::MaxPool,
            [](const CpuOpCall& c) { return max_pool(c.in(), c.layer().output, c.layer().pool.window); }};
}

CpuOp cpu_avgpool_op() {
    return {LayerKind::AvgPool, [](const CpuOpCall& c) {
                const PoolAttrs& p = c.layer().pool;
                return avg_pool(c.in(), c.layer().output, p.window, p.count_include_pad);
            }};
}

CpuOp cpu_global_avgpool_op() {
    return {LayerKind::GlobalAvgPool, [](const CpuOpCall& c) { return global_avg_pool(c.in()); }};
}

CpuOp cpu_add_op() {
    return {LayerKind::Add,
            [](const CpuOpCall& c) {
                return c.int8() ? add_int8(c.in(0), c.in(1), c.quant().add, c.quant().clamp)
                                : add_float(c.in(0), c.in(1), c.layer().activation);
            },
            calibrate_add};
}

CpuOp cpu_relu_op() {
    return {LayerKind::Relu, [](const CpuOpCall& c) { return clamp(c.in(), c.quant().clamp, 0.0f, kInf); },
            [](const CalibrationCall& c) {
                keep_input_scale(c);
                c.quant().clamp.lo = 0;
            }};
}

CpuOp cpu_relu6_op() {
    return {LayerKind::Relu6, [](const CpuOpCall& c) { return clamp(c.in(), c.quant().clamp, 0.0f, 6.0f); },
            [](const CalibrationCall& c) {
                keep_input_scale(c);
                c.quant().clamp = activation_clamp(Activation::Relu6, c.quant().out_scale);
            }};
}

CpuOp cpu_clip_op() {
    return {LayerKind::Clip,
            [](const CpuOpCall& c) { return clamp(c.in(), c.quant().clamp, c.layer().clip.min, c.layer().clip.max); },
            [](const CalibrationCall& c) {
                keep_input_scale(c);
                c.quant().clamp = clip_clamp(c.layer().clip, c.quant().out_scale);
            }};
}

CpuOp cpu_softmax_op() {
    return {LayerKind::Softmax,
            [](const CpuOpCall& c) { return softmax(c.in(), c.layer().softmax, c.producer().out_scale); },
            [](const CalibrationCall& c) { c.quant().out_scale = kSoftmaxInt8OutputScale; }};
}

// A batchnorm that did not fold into a conv/fc: a per-channel scale and shift (float only).
CpuOp cpu_batchnorm_op() {
    return {LayerKind::BatchNorm,
            [](const CpuOpCall& c) { return channel_affine(c.in(), c.quant().weight_f, c.quant().bias_f); },
            [](const CalibrationCall& c) {
                throw WorkloadError(fmt::format("{}: a standalone batchnorm runs in fp16 or fp32, not int8",
                                                c.model.graph.where(c.index)));
            }};
}

}  // namespace npu

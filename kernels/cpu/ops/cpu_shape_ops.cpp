// The input, views (flatten, reshape) and concat on the CPU.
#include <algorithm>

#include "kernels/cpu/ops/cpu_op_parts.h"
#include "kernels/cpu/reference_ops.h"

namespace npu {
namespace {

HostTensor same_bytes(const CpuOpCall& c) {
    HostTensor out = c.in();
    out.shape = c.layer().output;
    return out;
}

HostTensor run_concat(const CpuOpCall& c) {
    std::vector<const HostTensor*> parts;
    for (int k : c.layer().inputs) parts.push_back(&c.outputs[size_t(k)]);
    return concat(parts, c.layer().output, c.layer().concat_axis, c.quant().input_rescale);
}

// The output takes the largest input scale; each input is rescaled to it.
void calibrate_concat(const CalibrationCall& c) {
    QuantLayer& q = c.quant();
    q.out_scale = 0.0f;
    for (int in : c.layer().inputs) q.out_scale = std::max(q.out_scale, c.model.layers[size_t(in)].out_scale);
    for (int in : c.layer().inputs)
        q.input_rescale.push_back(make_multiplier(double(c.model.layers[size_t(in)].out_scale) / q.out_scale));
}

}  // namespace

// An input's scale is chosen from its data before calibration starts (quantize_model).
CpuOp cpu_input_op() {
    return {LayerKind::Input, [](const CpuOpCall& c) { return c.model.inputs[size_t(c.index)]; },
            [](const CalibrationCall&) {}};
}

CpuOp cpu_flatten_op() { return {LayerKind::Flatten, same_bytes}; }
CpuOp cpu_reshape_op() { return {LayerKind::Reshape, same_bytes}; }
CpuOp cpu_concat_op() { return {LayerKind::Concat, run_concat, calibrate_concat}; }

}  // namespace npu

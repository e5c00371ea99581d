#include "kernels/cpu/quantized_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"
#include "kernels/cpu/cpu_backend.h"
#include "kernels/cpu/ops/calibration.h"
#include "kernels/cpu/ops/cpu_op.h"
#include "kernels/numerics/real_spans.h"

namespace npu {
namespace {

void quantize_float(const FloatModel& fm, int i, QuantModel& qm) {
    const LayerTensors& t = fm.tensors[size_t(i)];
    QuantLayer& q = qm.layers[size_t(i)];
    const LayerKind kind = qm.graph.layers[size_t(i)].kind;
    const bool conv = kind != LayerKind::BatchNorm && kind != LayerKind::LayerNorm;  // those keep FP32 records
    q.weight_f = t.weight;
    if (conv) round_reals(q.weight_f.data(), q.weight_f.size(), qm.precision);
    q.bias_f = t.bias;
}

// An imported model's own quantization (GivenQuant), without calibration.
QuantModel apply_given_quantization(const FloatModel& fm, Precision precision) {
    QuantModel qm;
    qm.precision = precision;
    qm.graph = fm.graph;
    qm.layers.resize(fm.graph.layers.size());
    qm.inputs.resize(fm.graph.layers.size());
    if (precision != Precision::Int8)
        throw WorkloadError(
            fmt::format("{}: the model is quantized (QLinear/ConvInteger layers); run it in int8", fm.graph.where(-1)));
    for (size_t i = 0; i < fm.graph.layers.size(); ++i) {
        const Layer& l = fm.graph.layers[i];
        const GivenQuant& g = l.quant;
        QuantLayer& q = qm.layers[i];
        if (!g.present)
            throw UnsupportedError(
                fmt::format("{}: a quantized model mixes in a layer without quantization", fm.graph.where(int(i))));
        q.out_scale = g.scale;
        q.out_zero_point = g.zero_point;
        q.unsigned_values = g.unsigned_values;
        if (l.kind == LayerKind::Input) {
            HostTensor& t = qm.inputs[i];
            t = HostTensor::zeros(l.output, Precision::Int8);
            // Given integers; without data, seeded values over the int8 range.
            const bool given = !l.input_data.empty();
            for (int64_t k = 0; k < t.elements(); ++k) {
                const double v = fm.inputs[i][size_t(k)];
                t.int8()[k] = saturate_int8(given ? int64_t(v) : std::lround(v * 127.0));
            }
            continue;
        }
        if (l.kind != LayerKind::Conv2d && l.kind != LayerKind::FullyConnected)
            throw UnsupportedError(
                fmt::format("{}: only conv and matmul layers take given quantization", fm.graph.where(int(i))));
        for (int32_t w : g.weights) q.weight_q.push_back(saturate_int8(w));
        q.weight_zero_point = g.weight_zero_point;
        q.bias_q = g.bias;
        q.bias_q.resize(size_t(l.output.c), 0);
        q.out_int32 = g.int32_output;
        q.onnx_rounding = !g.int32_output;
        const float s_in = qm.layers[size_t(l.inputs[0])].out_scale;
        for (int64_t f = 0; f < l.output.c; ++f)
            q.requant_scale.push_back(s_in * g.weight_scales[size_t(f) % g.weight_scales.size()] / g.scale);
    }
    return qm;
}

}  // namespace

bool has_given_quantization(const Graph& graph) {
    for (const Layer& l : graph.layers)
        if (l.quant.present) return true;
    return false;
}

QuantModel quantize_model(const FloatModel& fm, Precision precision, const std::function<void(int layer)>& layer_done) {
    if (has_given_quantization(fm.graph)) return apply_given_quantization(fm, precision);
    QuantModel qm;
    qm.precision = precision;
    qm.graph = fm.graph;
    qm.layers.resize(fm.graph.layers.size());
    qm.inputs.resize(fm.graph.layers.size());
    for (int i : fm.graph.input_indices()) {
        const std::vector<float>& values = fm.inputs[size_t(i)];
        HostTensor& t = qm.inputs[size_t(i)];
        t = HostTensor::zeros(fm.graph.layers[size_t(i)].output, precision);
        if (is_float(precision)) {
            for (size_t k = 0; k < values.size(); ++k) t.set_real(int64_t(k), values[k]);
        } else {
            qm.layers[size_t(i)].out_scale = choose_scale(values.data(), values.size());
            for (size_t k = 0; k < values.size(); ++k)
                t.int8()[k] = quantize_int8(values[k], qm.layers[size_t(i)].out_scale);
        }
    }
    if (is_float(precision)) {
        for (size_t i = 1; i < fm.graph.layers.size(); ++i)
            if (has_weights(fm.graph.layers[i].kind)) {
                quantize_float(fm, int(i), qm);
                if (layer_done) layer_done(int(i));
            }
        return qm;
    }
    // Calibrate layer by layer on the int8 outputs computed so far.
    std::vector<HostTensor>& outputs = qm.calibration_outputs;
    outputs.resize(fm.graph.layers.size());
    for (size_t i = 0; i < fm.graph.layers.size(); ++i) {
        const CpuOp& op = cpu_op(qm.graph.layers[i].kind);
        const CalibrationCall call{fm, qm, int(i), outputs, &outputs[i]};
        if (op.calibrate_int8)
            op.calibrate_int8(call);
        else
            qm.layers[i].out_scale = call.producer().out_scale;
        if (outputs[i].bytes.empty()) outputs[i] = reference_layer(qm, int(i), outputs);
        if (layer_done) layer_done(int(i));
    }
    return qm;
}

}  // namespace npu

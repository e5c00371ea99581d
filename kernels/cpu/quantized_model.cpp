#include "kernels/cpu/quantized_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"
#include "kernels/cpu/cpu_backend.h"
#include "kernels/cpu/reference_ops.h"
#include "kernels/numerics/vector_math.h"

namespace npu {
namespace {

// Scale for a set of real values: 1 if they are all integers that fit int8, else max|x| / 127.
float choose_scale(const float* values, size_t count) {
    bool integral = true;
    float max_abs = 0.0f;
    for (size_t i = 0; i < count; ++i) {
        max_abs = std::max(max_abs, std::fabs(values[i]));
        integral = integral && values[i] == std::nearbyint(values[i]);
    }
    if (integral && max_abs <= 127.0f) return 1.0f;
    return max_abs > 0.0f ? max_abs / 127.0f : 1.0f;
}

Int8Clamp activation_clamp(Activation act, float out_scale) {
    Int8Clamp c;
    if (act != Activation::None) c.lo = 0;
    if (act == Activation::Relu6) c.hi = int32_t(std::min<long>(127, std::lround(6.0 / out_scale)));
    return c;
}

float activate(float v, Activation act) {
    if (act == Activation::Relu) return activate_relu(v);
    if (act == Activation::Relu6) return activate_relu6(v);
    return v;
}

// Quantizes a conv/fc layer and calibrates its output scale on the accumulators of the
// already-quantized input.
void quantize_weighted_int8(const FloatModel& fm, int i, QuantModel& qm, const std::vector<HostTensor>& outputs) {
    const Layer& l = qm.graph.layers[size_t(i)];
    const LayerTensors& t = fm.tensors[size_t(i)];
    QuantLayer& q = qm.layers[size_t(i)];
    const float s_in = qm.layers[size_t(l.inputs[0])].out_scale;
    const size_t outs = t.bias.size(), per_out = t.weight.size() / outs;
    std::vector<float> w_scale(outs);
    q.weight_q.resize(t.weight.size());
    q.bias_q.resize(outs);
    for (size_t f = 0; f < outs; ++f) {
        w_scale[f] = choose_scale(&t.weight[f * per_out], per_out);
        for (size_t k = 0; k < per_out; ++k)
            q.weight_q[f * per_out + k] = quantize_int8(t.weight[f * per_out + k], w_scale[f]);
        const double b = std::nearbyint(double(t.bias[f]) / (double(s_in) * w_scale[f]));
        q.bias_q[f] = int32_t(std::clamp(b, -2147483648.0, 2147483647.0));
    }
    const ConvGeometry g = ConvGeometry::from_layer(l, outputs[size_t(l.inputs[0])].shape);
    const std::vector<int32_t> acc =
        conv_accumulate_int8(outputs[size_t(l.inputs[0])], g, q.weight_q.data(), q.bias_q.data());
    const int64_t pixels = l.output.h * l.output.w;
    std::vector<float> real(acc.size());
    for (size_t k = 0; k < acc.size(); ++k)
        real[k] = activate(float(double(acc[k]) * s_in * w_scale[(k / size_t(pixels)) % outs]), l.activation);
    q.out_scale = choose_scale(real.data(), real.size());
    for (size_t f = 0; f < outs; ++f) q.requant.push_back(make_multiplier(double(s_in) * w_scale[f] / q.out_scale));
    q.clamp = activation_clamp(l.activation, q.out_scale);
}

void quantize_add_int8(int i, QuantModel& qm, const std::vector<HostTensor>& outputs) {
    const Layer& l = qm.graph.layers[size_t(i)];
    QuantLayer& q = qm.layers[size_t(i)];
    const float sa = qm.layers[size_t(l.inputs[0])].out_scale;
    const float sb = qm.layers[size_t(l.inputs[1])].out_scale;
    const HostTensor& a = outputs[size_t(l.inputs[0])];
    const HostTensor& b = outputs[size_t(l.inputs[1])];
    std::vector<float> real(size_t(a.elements()));
    for (size_t k = 0; k < real.size(); ++k)
        real[k] = activate(float(a.int8()[k]) * sa + float(b.int8()[k]) * sb, l.activation);
    q.out_scale = choose_scale(real.data(), real.size());
    q.add = make_add_rescale(double(sa) / q.out_scale, double(sb) / q.out_scale);
    q.clamp = activation_clamp(l.activation, q.out_scale);
}

void quantize_float(const FloatModel& fm, int i, QuantModel& qm) {
    const LayerTensors& t = fm.tensors[size_t(i)];
    QuantLayer& q = qm.layers[size_t(i)];
    const bool conv = qm.graph.layers[size_t(i)].kind != LayerKind::BatchNorm;
    for (float w : t.weight) q.weight_f.push_back(conv ? round_to(w, qm.precision) : w);
    q.bias_f = t.bias;
}

// Concat: the output takes the largest input scale; each input is rescaled to it.
void quantize_concat_int8(int i, QuantModel& qm) {
    const Layer& l = qm.graph.layers[size_t(i)];
    QuantLayer& q = qm.layers[size_t(i)];
    q.out_scale = 0.0f;
    for (int in : l.inputs) q.out_scale = std::max(q.out_scale, qm.layers[size_t(in)].out_scale);
    for (int in : l.inputs)
        q.input_rescale.push_back(make_multiplier(double(qm.layers[size_t(in)].out_scale) / q.out_scale));
}

Int8Clamp clip_clamp(const ClipAttrs& c, float scale) {
    Int8Clamp b;
    b.lo = int32_t(std::clamp<double>(std::ceil(double(c.min) / scale), -128.0, 127.0));
    b.hi = int32_t(std::clamp<double>(std::floor(double(c.max) / scale), -128.0, 127.0));
    return b;
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

QuantModel quantize_model(const FloatModel& fm, Precision precision) {
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
            if (has_weights(fm.graph.layers[i].kind)) quantize_float(fm, int(i), qm);
        return qm;
    }
    // Calibrate layer by layer on the int8 outputs computed so far.
    std::vector<HostTensor> outputs(fm.graph.layers.size());
    for (size_t i = 0; i < fm.graph.layers.size(); ++i) {
        const Layer& l = qm.graph.layers[i];
        QuantLayer& q = qm.layers[i];
        switch (l.kind) {
            case LayerKind::Input: break;  // scale chosen above
            case LayerKind::Conv2d:
            case LayerKind::FullyConnected: quantize_weighted_int8(fm, int(i), qm, outputs); break;
            case LayerKind::Add: quantize_add_int8(int(i), qm, outputs); break;
            case LayerKind::Softmax: q.out_scale = kSoftmaxInt8OutputScale; break;
            case LayerKind::Concat: quantize_concat_int8(int(i), qm); break;
            case LayerKind::BatchNorm:
                throw WorkloadError(
                    fmt::format("{}: a standalone batchnorm runs in fp16 or fp32, not int8", qm.graph.where(int(i))));
            default:  // pools, relu, clip, flatten, reshape keep the input scale
                q.out_scale = qm.layers[size_t(l.inputs[0])].out_scale;
                if (l.kind == LayerKind::Relu) q.clamp.lo = 0;
                if (l.kind == LayerKind::Relu6) q.clamp = activation_clamp(Activation::Relu6, q.out_scale);
                if (l.kind == LayerKind::Clip) q.clamp = clip_clamp(l.clip, q.out_scale);
                break;
        }
        outputs[i] = reference_layer(qm, int(i), outputs);
    }
    return qm;
}

}  // namespace npu

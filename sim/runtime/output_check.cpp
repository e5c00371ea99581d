#include "sim/runtime/output_check.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "arch/isa.h"

namespace npu {

bool float_close(float a, float b, Precision p, float floor_magnitude) {
    if (std::isnan(a) || std::isnan(b)) return false;
    if (a == b) return true;
    const float magnitude = std::max({std::fabs(a), std::fabs(b), floor_magnitude});
    if (p == Precision::Fp32) return std::fabs(a - b) <= kFp32RelativeTolerance * magnitude;
    // binary16 has 10 fraction bits; below 2^-14 the spacing is the subnormal 2^-24.
    const float ulp = magnitude < 6.103515625e-05f ? 5.9604645e-08f : std::ldexp(1.0f, std::ilogb(magnitude) - 10);
    return std::fabs(a - b) <= float(kFp16Ulps) * ulp;
}

std::string check_rule(Precision p) {
    switch (p) {
        case Precision::Int8: return "INT8 bit-exact vs CPU reference, per layer on the NPU's own inputs";
        case Precision::Fp16:
            return "FP16 within 2 ulp (at max(|x|, layer RMS)) vs CPU reference, per layer on the NPU's own inputs";
        case Precision::Fp32:
            return "FP32 within 1e-5 relative (to max(|x|, layer RMS)) vs CPU reference, per layer on the NPU's "
                   "own inputs";
    }
    return "";
}

void check_layer_outputs(const QuantModel& model, const DramPlan& plan, const uint8_t* dram, RunResult& r) {
    const Graph& g = model.graph;
    const bool int8 = model.precision == Precision::Int8;
    std::vector<HostTensor> npu_outputs(g.layers.size());
    for (int i : g.input_indices()) npu_outputs[size_t(i)] = model.inputs[size_t(i)];
    r.checked = true;
    r.check_passed = true;
    r.check_rule = check_rule(model.precision);
    for (size_t i = 1; i < g.layers.size(); ++i) {
        const Layer& l = g.layers[i];
        if (l.kind == LayerKind::Input) continue;
        HostTensor got = model.layers[i].out_int32 ? HostTensor::zeros_int32(l.output)
                                                   : HostTensor::zeros(l.output, model.precision);
        std::memcpy(got.bytes.data(), dram + plan.output_address[i], got.bytes.size());
        const HostTensor want = reference_layer(model, int(i), npu_outputs);
        LayerResult* found = nullptr;
        for (LayerResult& candidate : r.layers)
            if (candidate.graph_index == int(i)) found = &candidate;
        if (!found) continue;
        LayerResult& lr = *found;
        lr.checked = true;
        double diff2 = 0.0, ref2 = 0.0;
        for (int64_t k = 0; k < want.elements(); ++k) ref2 += double(want.value(k)) * want.value(k);
        const float rms = float(std::sqrt(ref2 / double(std::max<int64_t>(1, want.elements()))));
        for (int64_t k = 0; k < got.elements(); ++k) {
            const float a = got.value(k), b = want.value(k);
            const bool same = int8 ? a == b : float_close(a, b, model.precision, rms);
            lr.mismatches += same ? 0 : 1;
            lr.max_abs_error = std::max(lr.max_abs_error, double(std::fabs(a - b)));
            diff2 += double(a - b) * double(a - b);
        }
        lr.relative_error = ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
        if (lr.mismatches) r.check_passed = false;
        npu_outputs[i] = std::move(got);
    }
}

}  // namespace npu

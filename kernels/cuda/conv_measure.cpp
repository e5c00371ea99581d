#include "kernels/cuda/conv_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kernels/cpu/reference_ops.h"
#include "kernels/cuda/direct_conv_geometry.h"
#include "kernels/cuda/gpu_conv.h"
#include "kernels/cuda/gpu_runtime.h"
#include "kernels/model/tensor_check.h"
#include "kernels/numerics/element.h"
#include "workloads/ir/seeded_rng.h"

namespace npu {
namespace {

std::vector<float> uniform(int64_t count, SeededRng& rng) {
    std::vector<float> v(static_cast<size_t>(count));
    for (float& x : v) x = float(rng.uniform(-1.0, 1.0));
    return v;
}

HostTensor tensor_of(const Shape& shape, Precision p, const std::vector<float>& values) {
    HostTensor t = HostTensor::zeros(shape, p);
    for (size_t i = 0; i < values.size(); ++i) t.set_real(int64_t(i), values[i]);
    return t;
}

// Runs `run(timing)` once to calibrate, then again over a loop of at least min_ms with the
// energy counter read around it.
template <class Run>
void measure(Run run, double min_ms, const NvmlEnergy& nvml, ConvMeasurement& m) {
    if (nvml.available()) nvml.idle_w();  // the first layer's: measured before any loop runs
    GpuTiming timing;
    run(timing);
    timing.timed_calls = int(std::min(1e6, std::max(1.0, std::ceil(min_ms / std::max(timing.ms_per_call, 1e-4)))));
    double start_mj = -1, stop_mj = -1, power_w = 0;
    timing.on_start = [&] { start_mj = nvml.total_mj(); };
    timing.on_stop = [&] { stop_mj = nvml.total_mj(), power_w = nvml.power_w(); };
    run(timing);
    m.calls = timing.timed_calls;
    m.ms_per_call = timing.ms_per_call;
    if (start_mj >= 0 && stop_mj >= start_mj) {
        m.energy_uj_per_call = (stop_mj - start_mj) * 1e3 / double(m.calls);
        m.avg_w = (stop_mj - start_mj) / (m.ms_per_call * double(m.calls));  // mJ / ms = W
        m.idle_w = nvml.idle_w();
        if (m.idle_w >= 0)  // W x ms = mJ
            m.active_energy_uj_per_call = std::max(0.0, m.energy_uj_per_call - m.idle_w * m.ms_per_call * 1e3);
    } else {
        m.avg_w = power_w;
    }
}

void judge(const HostTensor& got, const HostTensor& want, Precision p, ConvMeasurement& m) {
    const TensorCheck c = check_tensor(got, want, p);
    m.check_passed = c.mismatches == 0;
    m.check = fmt::format("{} mismatches, max abs error {:.3g}, relative {:.3g}", c.mismatches, c.max_abs_error,
                          c.relative_error);
}

void measure_int8(ConvKernel kernel, const DirectConvShape& s, double min_ms, const NvmlEnergy& nvml,
                  ConvMeasurement& m) {
    SeededRng rng(11);
    std::vector<int8_t> x(static_cast<size_t>(s.inputs())), w(static_cast<size_t>(s.weights()));
    for (int8_t& v : x) v = int8_t(int(rng.uniform(-128.0, 128.0)));
    for (int8_t& v : w) v = int8_t(int(rng.uniform(-128.0, 128.0)));
    // Scales that keep the outputs inside int8: a sum of K products of +-127 spreads by
    // about sqrt(K) x 5400.
    const double ratio = 30.0 / (std::sqrt(double(s.in_per_group() * s.kh * s.kw)) * 5400.0);
    const std::vector<int32_t> bias(static_cast<size_t>(s.f), 0);
    const std::vector<QuantMultiplier> requant(static_cast<size_t>(s.f), make_multiplier(ratio));
    const Int8Clamp clamp{-128, 127};
    std::vector<int8_t> y;
    measure([&](GpuTiming& t) { y = gpu_conv_int8(kernel, s, x, w, bias, requant, clamp, t); }, min_ms, nvml, m);
    const ConvGeometry g = conv_geometry(s);
    HostTensor in = HostTensor::zeros(g.input, Precision::Int8), got = HostTensor::zeros(g.output, Precision::Int8);
    std::copy(x.begin(), x.end(), in.int8());
    std::copy(y.begin(), y.end(), got.int8());
    const HostTensor want =
        requantize_int8(conv_accumulate_int8(in, g, w.data(), bias.data()), g.output, requant, clamp);
    judge(got, want, Precision::Int8, m);
}

void measure_float(ConvKernel kernel, const DirectConvShape& s, Precision p, double min_ms, const NvmlEnergy& nvml,
                   ConvMeasurement& m) {
    const ConvGeometry g = conv_geometry(s);
    SeededRng rng(11);
    std::vector<float> x = uniform(s.inputs(), rng), w = uniform(s.weights(), rng);
    const std::vector<float> bias(static_cast<size_t>(s.f), 0.0f);
    for (std::vector<float>* v : {&x, &w})
        for (float& e : *v) e = round_to(e, p);  // the operands as the format holds them
    std::vector<float> y;
    measure([&](GpuTiming& t) { y = gpu_conv_float(kernel, p, s, x, w, bias, activation_range(Activation::None), t); },
            min_ms, nvml, m);
    const std::vector<float> acc =
        conv_accumulate_float(tensor_of(g.input, Precision::Fp32, x), g, w.data(), bias.data());
    judge(tensor_of(g.output, p, y), store_float(acc, g.output, Activation::None, p), p, m);
}

}  // namespace

ConvMeasurement measure_conv(ConvKernel kernel, const DirectConvShape& s, Precision p, double min_ms,
                             const NvmlEnergy& nvml) {
    ConvMeasurement m;
    if (p == Precision::Int8)
        measure_int8(kernel, s, min_ms, nvml, m);
    else
        measure_float(kernel, s, p, min_ms, nvml, m);
    return m;
}

}  // namespace npu

#include "sim/cli/live_gpu.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "sim/compare/device_comparison.h"
#ifdef NPUSIM_HAS_CUDA
#include "kernels/cpu/backend_check.h"
#include "kernels/cuda/conv_measure.h"
#include "kernels/cuda/direct_conv_geometry.h"
#include "kernels/cuda/gpu_backend.h"
#include "kernels/cuda/gpu_runtime.h"
#include "kernels/cuda/gpu_training_device.h"
#include "kernels/cuda/vendor_libs.h"
#endif

namespace npu::cli {

std::vector<std::string> gpu_backend_choices() {
    std::vector<std::string> names;
    for (ConvKernel k : kAllConvKernels) names.push_back(conv_kernel_name(k));
    return names;
}

ConvKernel gpu_backend_option(const std::string& option, const std::string& name, Precision p) {
    ConvKernel k = ConvKernel::Vendor;
    if (!parse_conv_kernel(name, k))
        throw UsageError(fmt::format("{}: unknown backend '{}' ({})", option, name, kConvKernelNames));
    if (!conv_kernel_supports(k, p))
        throw UsageError(option + ": " + missing_precision(k, p) + "; use tiled, naive or vendor");
    return k;
}

#ifdef NPUSIM_HAS_CUDA
LiveGpu live_gpu() {
    const GpuInfo info = query_gpu();
    LiveGpu gpu{info.available, info.name, info.reason, {}};
    if (!info.available) return gpu;
    const NvmlEnergy nvml;
    const double limit = nvml.power_limit_w();
    gpu.details = {{"SM clock", fmt::format("{} MHz", info.sm_clock_mhz)},
                   {"memory clock", fmt::format("{} MHz", info.memory_clock_mhz)},
                   {"SMs", std::to_string(info.sm_count)},
                   {"memory", fmt::format("{:.0f} GiB", info.memory_gib)},
                   {"power limit", limit > 0 ? fmt::format("{:.0f} W", limit) : "unknown (" + nvml.reason() + ")"},
                   {"driver", nvml.driver_version().empty() ? "unknown" : nvml.driver_version()},
                   {"CUDA runtime", info.cuda_runtime},
                   {"CUDA driver API", info.cuda_driver},
                   {"cuDNN", cudnn_version()}};
    return gpu;
}

std::unique_ptr<TrainingDevice> gpu_training_device(ConvKernel backend, TrainPrecision precision,
                                                    std::string& why_not) {
    const GpuInfo info = query_gpu();
    if (!info.available) {
        why_not = info.reason;
        return nullptr;
    }
    return std::make_unique<GpuTrainingDevice>(backend, precision);
}

bool check_network_on_gpu(const QuantModel& model, ConvKernel kernel) {
    fmt::print("the whole network on the GPU ({} backend, {}), each layer against the CPU reference:\n",
               conv_kernel_name(kernel), precision_name(model.precision));
    GpuBackend backend(kernel);
    const BackendRun run = run_and_check(backend, model, [&](const LayerCheck& c) {
        const Layer& l = model.graph.layers[size_t(c.index)];
        fmt::print("  {:<20} {:<14} {} ({} mismatches, max abs error {:.3g})\n", l.name, kind_name(l.kind),
                   c.check.mismatches ? "FAIL" : "PASS", c.check.mismatches, c.check.max_abs_error);
    });
    fmt::print(
        "network check: {} of {} layers pass\n",
        std::count_if(run.checks.begin(), run.checks.end(), [](const LayerCheck& c) { return !c.check.mismatches; }),
        run.checks.size());
    return run.passed();
}

LiveMeasurement measure_on_gpu(const Graph& g, ConvKernel kernel, Precision p, double min_ms) {
    const NvmlEnergy nvml;
    fmt::print("measuring on the GPU ({} backend, {}); energy: {}\n", conv_kernel_name(kernel), precision_name(p),
               nvml.available() ? "NVML board energy (idle power included)" : nvml.reason());
    LiveMeasurement out;
    for (size_t i = 0; i < g.layers.size(); ++i) {
        const LayerShapeKey key = layer_shape_key(g, int(i));
        if (key.kind.empty()) continue;
        const Layer& l = g.layers[i];
        const ConvGeometry geometry = ConvGeometry::from_layer(l, g.layers[size_t(l.inputs[0])].output);
        const ConvMeasurement m = measure_conv(kernel, direct_shape(geometry), p, min_ms, nvml);
        GpuLayerMeasurement row;
        row.index = int64_t(out.layers.layers.size());
        row.shape = key;
        row.macs = geometry.output.elements() * geometry.k_per_group();
        row.ms = m.ms_per_call;
        row.energy_uj = std::max(0.0, m.energy_uj_per_call);
        row.avg_w = std::max(0.0, m.avg_w);
        out.layers.layers.push_back(row);
        out.all_checks_passed = out.all_checks_passed && m.check_passed;
        fmt::print("  {:<20} {:>10.4f} ms {:>10.1f} uJ ({:.1f} uJ above idle)  {} calls  check {}: {}\n", l.name,
                   row.ms, row.energy_uj, std::max(0.0, m.active_energy_uj_per_call), m.calls,
                   m.check_passed ? "PASS" : "FAIL", m.check);
        out.active_energy_uj += std::max(0.0, m.active_energy_uj_per_call);
        out.detail.push_back({l.name, m.calls, m.check_passed, m.check, std::max(0.0, m.active_energy_uj_per_call)});
        out.idle_w = m.idle_w;
    }
    return out;
}
#else
LiveGpu live_gpu() { return {false, "", "this npusim was built without CUDA (no nvcc at build time)", {}}; }

std::unique_ptr<TrainingDevice> gpu_training_device(ConvKernel, TrainPrecision, std::string& why_not) {
    why_not = "this npusim was built without CUDA (no nvcc at build time)";
    return nullptr;
}
bool check_network_on_gpu(const QuantModel&, ConvKernel) { return false; }
LiveMeasurement measure_on_gpu(const Graph&, ConvKernel, Precision, double) { return {}; }
#endif

}  // namespace npu::cli

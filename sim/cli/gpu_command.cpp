// npusim gpu: every conv2d and fc layer of a workload measured on the GPU (time from CUDA
// events, board energy from NVML), checked against the CPU reference, written in the
// measurement format `npusim compare --gpu-results` reads.
#include <fmt/format.h>

#include <iostream>

#include "common/error.h"
#include "sim/cli/commands.h"
#include "sim/compare/device_comparison.h"
#include "sim/report/report.h"
#include "workloads/ir/float_model.h"
#include "workloads/model_loader.h"
#include "workloads/workload_files.h"
#include "workloads/zoo.h"
#ifdef NPUSIM_HAS_CUDA
#include "kernels/cuda/conv_measure.h"
#include "kernels/cuda/direct_conv_geometry.h"
#include "kernels/cuda/gpu_runtime.h"
#endif

namespace npu::cli {
namespace {

struct GpuArgs {
    std::string workload, backend = "naive", precision = "fp16", csv;
    int64_t batch = 1;
    double min_ms = 1000.0;
    std::vector<std::string> limits;
};

constexpr int kNoGpu = 5;  // as compare without a GPU side

// The workload's conv2d and fc layers at the batch, in the inference graph's order.
Graph inference_at_batch(const GpuArgs& a, const DataPaths& paths) {
    const Limits limits = parse_limits(a.limits);
    Graph g = load_workload_file(resolve_model(a.workload, paths.models_dir()), limits);
    if (a.batch < 1) throw UsageError(fmt::format("--batch: must be >= 1, got {}", a.batch));
    reshape_input(g, a.batch, 0, 0, limits);
    return inference_graph(g).graph;
}

#ifdef NPUSIM_HAS_CUDA
int measure_workload(const GpuArgs& a, const Graph& g, Precision p, const GpuInfo& gpu) {
    const NvmlEnergy nvml;
    fmt::print("npusim gpu: {} batch {} on {} ({} backend, {}); energy: {}\n", g.name, a.batch, gpu.name, a.backend,
               a.precision, nvml.available() ? "NVML board energy (idle power included)" : nvml.reason());
    GpuMeasurement out;
    out.source = a.csv;
    bool all_passed = true;
    for (size_t i = 0; i < g.layers.size(); ++i) {
        const LayerShapeKey key = layer_shape_key(g, int(i));
        if (key.kind.empty()) continue;
        const Layer& l = g.layers[i];
        const ConvGeometry geometry = ConvGeometry::from_layer(l, g.layers[size_t(l.inputs[0])].output);
        const ConvMeasurement m = measure_naive_conv(direct_shape(geometry), p, a.min_ms, nvml);
        GpuLayerMeasurement row;
        row.index = int64_t(out.layers.size());
        row.shape = key;
        row.macs = geometry.output.elements() * geometry.k_per_group();
        row.ms = m.ms_per_call;
        row.energy_uj = std::max(0.0, m.energy_uj_per_call);
        row.avg_w = std::max(0.0, m.avg_w);
        out.layers.push_back(row);
        all_passed = all_passed && m.check_passed;
        fmt::print("  {:<20} {:>10.4f} ms {:>10.1f} uJ  {} calls  check {}: {}\n", l.name, row.ms, row.energy_uj,
                   m.calls, m.check_passed ? "PASS" : "FAIL", m.check);
    }
    fmt::print("total: {} layers, {:.4f} ms, {:.3f} mJ\n", out.layers.size(), out.total_ms(),
               out.total_energy_uj() / 1e3);
    if (!a.csv.empty()) write_file(a.csv, gpu_csv(out));
    return all_passed ? 0 : 4;
}
#endif

int gpu(const GpuArgs& a, const DataPaths& paths) {
    Precision p;
    parse_precision(a.precision, p);  // checked by the parser
    if (!(a.min_ms > 0)) throw UsageError(fmt::format("--min-ms: must be > 0, got {}", a.min_ms));
    const Graph g = inference_at_batch(a, paths);
#ifdef NPUSIM_HAS_CUDA
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) {
        std::cerr << "npusim gpu: no usable GPU here (" << gpu.reason << ")\n";
        return kNoGpu;
    }
    return measure_workload(a, g, p, gpu);
#else
    (void)g, (void)p;
    std::cerr << "npusim gpu: this npusim was built without CUDA (no nvcc at build time)\n";
    return kNoGpu;
#endif
}

}  // namespace

Action add_gpu_command(CLI::App& app, const DataPaths& paths) {
    auto a = std::make_shared<GpuArgs>();
    app.add_option("--workload", a->workload, "Model: a zoo name or a model file (YAML, ONNX)")->required();
    add_choice_option(app, "--backend", a->backend, {"naive"}, "GPU kernels: naive (direct convolution)");
    add_choice_option(app, "--precision", a->precision, {"int8", "fp16", "fp32"}, "Operand precision (default fp16)");
    app.add_option("--batch", a->batch, "Images per inference (default 1)");
    app.add_option("--min-ms", a->min_ms, "Each layer's timed loop lasts at least this long (default 1000)");
    app.add_option("--csv", a->csv, "Write the measurements (the format npusim compare --gpu-results reads)");
    add_limit_option(app, a->limits);
    return [a, &paths] { return gpu(*a, paths); };
}

}  // namespace npu::cli

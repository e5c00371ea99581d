// npusim gpu: every conv2d and fc layer of a workload measured on the GPU (time from CUDA
// events, board energy from NVML), checked against the CPU reference, written in the
// measurement format `npusim compare --gpu-results` reads; or, with --network, the whole network
// run on the GPU and checked layer by layer.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <iostream>

#include "common/error.h"
#include "common/json_text.h"
#include "sim/cli/commands.h"
#include "sim/cli/live_gpu.h"
#include "sim/report/report.h"
#include "sim/runtime/prepared_workload.h"
#include "workloads/ir/float_model.h"
#include "workloads/model_loader.h"
#include "workloads/workload_files.h"
#include "workloads/zoo.h"

namespace npu::cli {
namespace {

struct GpuArgs {
    std::string workload, backend = "vendor", precision = "fp16", csv, json;
    int64_t batch = 1;
    double min_ms = 1000.0;
    bool network = false;
    uint64_t seed = 1;
    std::vector<std::string> limits;
};

constexpr int kNoGpu = 5;  // as compare without a GPU side

// The workload at the batch.
Graph workload_at_batch(const GpuArgs& a, const DataPaths& paths) {
    const Limits limits = parse_limits(a.limits);
    Graph g = load_workload_file(resolve_model(a.workload, paths.models_dir()), limits);
    if (a.batch < 1) throw UsageError(fmt::format("--batch: must be >= 1, got {}", a.batch));
    reshape_input(g, a.batch, 0, 0, limits);
    return g;
}

// The measurement with what its CSV leaves out: the device, the settings, each layer's calls,
// check and energy above idle.
nlohmann::ordered_json measurement_json(const GpuArgs& a, const LiveGpu& gpu, const LiveMeasurement& m) {
    nlohmann::ordered_json device{{"name", gpu.name}};
    for (const auto& [key, value] : gpu.details) device[key] = value;
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (size_t i = 0; i < m.layers.layers.size(); ++i) {
        const GpuLayerMeasurement& row = m.layers.layers[i];
        const LiveLayer& d = m.detail[i];
        layers.push_back({{"name", d.name},
                          {"shape", row.shape.text()},
                          {"macs", row.macs},
                          {"ms", row.ms},
                          {"energy_uj", row.energy_uj},
                          {"energy_above_idle_uj", d.active_energy_uj},
                          {"avg_w", row.avg_w},
                          {"calls", d.calls},
                          {"check_passed", d.check_passed},
                          {"check", d.check}});
    }
    return {{"workload", a.workload},
            {"backend", a.backend},
            {"precision", a.precision},
            {"batch", a.batch},
            {"min_ms", a.min_ms},
            {"device", device},
            {"idle_w", m.idle_w},
            {"total_ms", m.layers.total_ms()},
            {"total_energy_uj", m.layers.total_energy_uj()},
            {"total_energy_above_idle_uj", m.active_energy_uj},
            {"all_checks_passed", m.all_checks_passed},
            {"layers", layers}};
}

int gpu(const GpuArgs& a, const DataPaths& paths) {
    Precision p;
    parse_precision(a.precision, p);  // checked by the parser
    const ConvKernel backend = gpu_backend_option("--backend", a.backend, p);
    if (a.network && !(a.csv.empty() && a.json.empty()))
        throw UsageError(
            fmt::format("{}: --network checks values and writes no measurements", a.csv.empty() ? "--json" : "--csv"));
    check_output_files({{"--csv", a.csv}, {"--json", a.json}});
    if (!(a.min_ms > 0)) throw UsageError(fmt::format("--min-ms: must be > 0, got {}", a.min_ms));
    const Graph workload = workload_at_batch(a, paths);
    const LiveGpu gpu = live_gpu();
    if (!gpu.available) {
        std::cerr << "npusim gpu: no usable GPU here (" << gpu.reason << ")\n";
        return kNoGpu;
    }
    fmt::print("npusim gpu: {} batch {} on {} ({} backend)\n", workload.name, a.batch, gpu.name, a.backend);
    std::string details;
    for (const auto& [key, value] : gpu.details) details += (details.empty() ? "" : ", ") + key + " " + value;
    fmt::print("device: {}\n", details);
    if (a.network) {  // the weights and inputs of `npusim run --seed S`
        const PreparedWorkload prepared = prepare_workload(workload, p, true, a.seed);
        return check_network_on_gpu(prepared.model, backend) ? 0 : 4;
    }
    const Graph g = inference_graph(workload).graph;
    const LiveMeasurement m = measure_on_gpu(g, backend, p, a.min_ms);
    fmt::print("total: {} layers, {:.4f} ms, {:.3f} mJ ({:.3f} mJ above the board's idle {:.1f} W)\n",
               m.layers.layers.size(), m.layers.total_ms(), m.layers.total_energy_uj() / 1e3, m.active_energy_uj / 1e3,
               m.idle_w);
    if (!a.csv.empty()) write_file(a.csv, gpu_csv(m.layers));
    if (!a.json.empty()) write_file(a.json, json_text(measurement_json(a, gpu, m)) + "\n");
    return m.all_checks_passed ? 0 : 4;
}

}  // namespace

Action add_gpu_command(CLI::App& app, const DataPaths& paths) {
    auto a = std::make_shared<GpuArgs>();
    app.add_option("--workload", a->workload, "Model: a zoo name or a model file (YAML, ONNX)")->required();
    add_choice_option(app, "--backend", a->backend, gpu_backend_choices(),
                      "GPU kernels: vendor (cuDNN, cuBLASLt for INT8; default), mma (tensor cores), tiled "
                      "(implicit GEMM, shared memory) or naive (direct convolution)");
    add_choice_option(app, "--precision", a->precision, {"int8", "fp16", "bf16", "fp32"},
                      "Operand precision (default fp16)");
    app.add_option("--batch", a->batch, "Images per inference (default 1)");
    app.add_option("--min-ms", a->min_ms, "Each layer's timed loop lasts at least this long (default 1000)");
    app.add_flag("--network", a->network,
                 "Run the whole network on the GPU (every op) with the weights and inputs of npusim run --seed, "
                 "each layer checked against the CPU reference, instead of timing the conv and fc layers");
    app.add_option("--seed", a->seed, "With --network: seed of the generated weights and inputs (default 1)");
    app.add_option("--csv", a->csv, "Write the measurements (the format npusim compare --gpu-results reads)");
    app.add_option("--json", a->json,
                   "Write the measurements with the device (clocks, power limit, driver, CUDA, cuDNN), each layer's "
                   "calls, check and energy above idle");
    add_limit_option(app, a->limits);
    return [a, &paths] { return gpu(*a, paths); };
}

}  // namespace npu::cli

// npusim compare: the simulated NPU and a measured GPU side by side, layer by layer.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "common/error.h"
#include "sim/cli/commands.h"
#include "sim/cli/live_gpu.h"
#include "sim/compare/comparison_report.h"
#include "sim/report/report.h"
#include "sim/runtime/prepared_workload.h"
#include "sim/runtime/simulation.h"
#include "workloads/ir/float_model.h"
#include "workloads/model_loader.h"

namespace npu::cli {
namespace {

struct CompareArgs {
    DesignArgs design;
    std::string workload, precision = "fp16", gpu = "h100_sxm", gpu_results, json, csv, html;
    int64_t batch = 1;
    double gpu_min_ms = 1000.0;
    std::string gpu_backend = "vendor";
};

// Exit status when there is no GPU side: no --gpu-results and no GPU to measure on.
constexpr int kNoGpuSide = 5;

// The NPU's precision: --npu-precision, else --precision where the design lists it, else the
// design's own first one (said on the title line).
Precision npu_precision(const CompareArgs& a, const NpuConfig& design, Precision gpu) {
    if (!a.design.precision.empty()) {
        Precision p;
        parse_precision(a.design.precision, p);  // checked by the parser
        if (!design.supports(p))
            throw UsageError(
                fmt::format("--npu-precision: design '{}' has no {} MACs", design.name, a.design.precision));
        return p;
    }
    return design.supports(gpu) ? gpu : design.precisions.front();
}

// The NPU side, and the graph its layer results index (the inference graph at the batch).
struct NpuSide {
    RunResult run;
    Graph graph;
};

// `graph` at its batch.
NpuSide simulate(const NpuConfig& config, const Graph& graph, Precision p, const Limits& limits) {
    const PreparedWorkload workload = prepare_workload(graph, p, false, 1);
    SimulationOptions options;
    options.functional = false;  // time and energy need no values
    options.limits = limits;
    Simulation sim(config, options);
    return {sim.run(workload), workload.model.graph};
}

std::string gpu_spec_path(const std::string& name, const DataPaths& paths) {
    return resolve_design(name, paths.root + "/configs/gpu");
}

// The GPU side measured here and now (no --gpu-results, a usable GPU).
GpuMeasurement measure_live(const CompareArgs& a, const Graph& inference, Precision p) {
    if (!(a.gpu_min_ms > 0)) throw UsageError(fmt::format("--gpu-min-ms: must be > 0, got {}", a.gpu_min_ms));
    return measure_on_gpu(inference, gpu_backend_option("--gpu-backend", a.gpu_backend, p), p, a.gpu_min_ms).layers;
}

void write_outputs(const CompareArgs& a, const DeviceComparison& c, const ComparisonTitle& t) {
    if (!a.json.empty()) write_file(a.json, comparison_json(c, t));
    if (!a.csv.empty()) write_file(a.csv, comparison_csv(c));
    if (!a.html.empty()) write_file(a.html, comparison_html(c, t));
}

// The GPU side, from the file or measured live; `measured` is empty when there is none.
struct GpuSide {
    GpuSpec spec;
    GpuMeasurement measured;
    std::string source, missing;  // missing: why there is no GPU side
};

GpuSide gpu_side(const CompareArgs& a, const DataPaths& paths, const Graph& inference, Precision p) {
    GpuSide side;
    side.spec = load_gpu_spec(gpu_spec_path(a.gpu, paths));
    side.spec.peak_ops_per_s(p);  // the spec must know the precision (throws naming the file)
    if (!a.gpu_results.empty()) {
        side.measured = read_gpu_csv(a.gpu_results);
        side.source = fmt::format("{} in {} (measured: {})", side.spec.description, a.precision, a.gpu_results);
        return side;
    }
    const LiveGpu live = live_gpu();
    if (!live.available) {
        side.missing = live.reason;
        return side;
    }
    side.measured = measure_live(a, inference, p);
    side.source = fmt::format("{} in {} (measured live, {} backend; specs: {})", live.name, a.precision, a.gpu_backend,
                              side.spec.description);
    return side;
}

// Before the simulation (an error after it would come after minutes of work): some GPU row must
// match a conv or fc layer of the workload.
void require_a_match(const CompareArgs& a, const Graph& inference, const GpuMeasurement& gpu) {
    for (size_t i = 0; i < inference.layers.size(); ++i) {
        const LayerShapeKey key = layer_shape_key(inference, int(i));
        for (const GpuLayerMeasurement& row : gpu.layers)
            if (!key.kind.empty() && row.shape == key) return;
    }
    throw WorkloadError(
        fmt::format("--gpu-results: {}: no row matches a conv or fc layer of '{}' at batch {} (its "
                    "first row: {})",
                    a.gpu_results, inference.name, a.batch, gpu.layers.front().shape.text()));
}

int compare(const CompareArgs& a, const DataPaths& paths) {
    check_output_files({{"--json", a.json}, {"--csv", a.csv}, {"--html", a.html}});
    Precision gpu_precision;
    parse_precision(a.precision, gpu_precision);  // checked by the parser
    gpu_backend_option("--gpu-backend", a.gpu_backend, gpu_precision);
    DesignArgs design_args = a.design;
    design_args.precision.clear();
    LoadedInputs in = load_inputs(design_args, a.workload, paths, true);  // the NPU side runs timing-only
    const NpuConfig& config = in.design.config;
    const Precision p = npu_precision(a, config, gpu_precision);
    if (a.batch < 1) throw UsageError(fmt::format("--batch: must be >= 1, got {}", a.batch));
    in.design.limits.per_image_activations = true;  // the NPU side runs timing-only
    reshape_input(in.graph, a.batch, 0, 0, in.design.limits);
    const Graph inference = inference_graph(in.graph).graph;
    const GpuSide gpu = gpu_side(a, paths, inference, gpu_precision);
    if (!gpu.measured.layers.empty()) require_a_match(a, inference, gpu.measured);
    const NpuSide npu = simulate(config, in.graph, p, in.design.limits);
    if (gpu.measured.layers.empty()) {
        print_table(std::cout, npu.run);
        std::cerr << "npusim compare: no GPU side: no --gpu-results FILE (a measurement CSV, tests/data/gpu) and no "
                     "usable GPU here ("
                  << gpu.missing << "); the NPU side is above\n";
        return kNoGpuSide;
    }
    const std::string npu_source = fmt::format("{} in {} (simulated, timing-only){}", config.name, precision_name(p),
                                               p == gpu_precision ? "" : ", the GPU side in " + a.precision);
    const DeviceComparison c = compare_devices(npu.run, npu.graph, p, gpu.measured, gpu.spec, gpu_precision);
    const ComparisonTitle title{in.graph.name, npu_source, gpu.source, a.batch};
    std::cout << comparison_table(c, title);
    write_outputs(a, c, title);
    return 0;
}

}  // namespace

Action add_compare_command(CLI::App& app, const DataPaths& paths) {
    auto a = std::make_shared<CompareArgs>();
    app.add_option("--arch", a->design.arch, "The NPU design (name or file)")->required();
    app.add_option("--workload", a->workload, "Model: a zoo name or a model file (YAML, ONNX)")->required();
    add_choice_option(app, "--precision", a->precision, {"int8", "fp16", "bf16", "fp32"},
                      "The GPU side's precision (default fp16), and the NPU's where its design lists it");
    add_choice_option(app, "--npu-precision", a->design.precision, {"int8", "fp16", "bf16", "fp32"},
                      "The NPU's precision (default: --precision if the design lists it, else its first)");
    app.add_option("--batch", a->batch, "Images per inference (default 1; must match the GPU file's)");
    app.add_option("--gpu-results", a->gpu_results,
                   "Measured GPU layers: a CSV (tests/data/gpu/README.md); without it, measured live on this GPU");
    app.add_option("--gpu-min-ms", a->gpu_min_ms, "A live measurement's timed loop per layer (default 1000)");
    add_choice_option(app, "--gpu-backend", a->gpu_backend, gpu_backend_choices(),
                      "A live measurement's GPU kernels (default vendor; see npusim gpu --backend)");
    app.add_option("--gpu", a->gpu, "The measured GPU's specs: a name in configs/gpu or a file (default h100_sxm)");
    app.add_option("--json", a->json, "Write the comparison as JSON");
    app.add_option("--csv", a->csv, "Write one row per matched layer and the total");
    app.add_option("--html", a->html, "Write one page: table, rooflines, per-layer time and energy bars");
    add_limit_option(app, a->design.limits);
    return [a, &paths] { return compare(*a, paths); };
}

}  // namespace npu::cli

// npusim compare: the simulated NPU and a measured GPU side by side, layer by layer.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "common/error.h"
#include "sim/cli/commands.h"
#include "sim/compare/comparison_report.h"
#include "sim/report/report.h"
#include "sim/runtime/prepared_workload.h"
#include "sim/runtime/simulation.h"
#include "workloads/model_loader.h"

namespace npu::cli {
namespace {

struct CompareArgs {
    DesignArgs design;
    std::string workload, precision = "fp16", gpu = "h100_sxm", gpu_results, json, csv, html;
    int64_t batch = 1;
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

NpuSide simulate(const NpuConfig& config, Graph graph, Precision p, int64_t batch, const Limits& limits) {
    if (batch < 1) throw UsageError(fmt::format("--batch: must be >= 1, got {}", batch));
    reshape_input(graph, batch, 0, 0, limits);
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

void write_outputs(const CompareArgs& a, const DeviceComparison& c, const ComparisonTitle& t) {
    if (!a.json.empty()) write_file(a.json, comparison_json(c, t));
    if (!a.csv.empty()) write_file(a.csv, comparison_csv(c));
    if (!a.html.empty()) write_file(a.html, comparison_html(c, t));
}

int compare(const CompareArgs& a, const DataPaths& paths) {
    for (const auto& [option, path] : {std::pair{"--json", a.json}, {"--csv", a.csv}, {"--html", a.html}})
        if (!path.empty() && !std::filesystem::is_directory(std::filesystem::absolute(path).parent_path()))
            throw UsageError(fmt::format("{}: {}: no such folder", option, path));
    Precision gpu_precision;
    parse_precision(a.precision, gpu_precision);  // checked by the parser
    DesignArgs design_args = a.design;
    design_args.precision.clear();
    const LoadedInputs in = load_inputs(design_args, a.workload, paths);
    const NpuConfig& config = in.design.config;
    const Precision p = npu_precision(a, config, gpu_precision);
    const NpuSide npu = simulate(config, in.graph, p, a.batch, in.design.limits);
    const std::string npu_source = fmt::format("{} in {} (simulated, timing-only){}", config.name, precision_name(p),
                                               p == gpu_precision ? "" : ", the GPU side in " + a.precision);
    if (a.gpu_results.empty()) {
        print_table(std::cout, npu.run);
        std::cerr << "npusim compare: no GPU side: give --gpu-results FILE (a measurement CSV, tests/data/gpu); "
                     "the NPU side is above\n";
        return kNoGpuSide;
    }
    const GpuSpec spec = load_gpu_spec(gpu_spec_path(a.gpu, paths));
    const GpuMeasurement gpu = read_gpu_csv(a.gpu_results);
    const DeviceComparison c = compare_devices(npu.run, npu.graph, p, gpu, spec, gpu_precision);
    if (c.layers.empty())
        throw WorkloadError(
            fmt::format("--gpu-results: {}: no row matches a conv or fc layer of '{}' at batch {} "
                        "(its first row: {})",
                        a.gpu_results, in.graph.name, a.batch, gpu.layers.front().shape.text()));
    const ComparisonTitle title{in.graph.name, npu_source,
                                fmt::format("{} in {} (measured: {})", spec.description, a.precision, a.gpu_results),
                                a.batch};
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
    app.add_option("--gpu-results", a->gpu_results, "Measured GPU layers: a CSV (tests/data/gpu/README.md)");
    app.add_option("--gpu", a->gpu, "The measured GPU's specs: a name in configs/gpu or a file (default h100_sxm)");
    app.add_option("--json", a->json, "Write the comparison as JSON");
    app.add_option("--csv", a->csv, "Write one row per matched layer and the total");
    app.add_option("--html", a->html, "Write one page: table, rooflines, per-layer time and energy bars");
    add_limit_option(app, a->design.limits);
    return [a, &paths] { return compare(*a, paths); };
}

}  // namespace npu::cli

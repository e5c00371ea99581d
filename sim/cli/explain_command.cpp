#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "common/error.h"
#include "sim/cli/commands.h"
#include "sim/config/design_files.h"
#include "sim/explain/explain.h"
#include "sim/report/report.h"
#include "sim/runtime/simulation.h"
#include "workloads/model_loader.h"
#include "workloads/ops/op_def.h"
#include "workloads/workload_files.h"
#include "workloads/zoo.h"

namespace npu::cli {
namespace {

// explain shows every PE of every cycle: keep the grid and the problem small enough to read.
constexpr int64_t kMaxExplainPes = 32 * 32;

struct ExplainArgs {
    DesignArgs design;
    std::string workload, layer, vcd, html;
    int64_t max_macs = 20000;
    bool quiet = false;
};

int explain(const ExplainArgs& a, const DataPaths& paths) {
    if (a.quiet && a.vcd.empty() && a.html.empty())
        throw UsageError("--quiet: explain would then show nothing; add --vcd FILE or --html FILE");
    check_output_files({{"--vcd", a.vcd}, {"--html", a.html}});
    const LoadedInputs in = load_inputs(a.design, a.workload, paths);
    const NpuConfig& config = in.design.config;
    const Precision precision = in.design.precision;
    if (config.rows * config.cols > kMaxExplainPes)
        throw UsageError(fmt::format("--arch: explain shows every PE; '{}' has {}x{} (at most {} PEs, e.g. tiny_4x4)",
                                     config.name, config.rows, config.cols, kMaxExplainPes));
    const Graph& graph = in.graph;
    const PreparedWorkload w = prepare_workload(graph, precision, true, 1);
    int index = -1;
    for (size_t i = 1; i < w.model.graph.layers.size() && index < 0; ++i) {
        const Layer& l = w.model.graph.layers[i];
        if (a.layer.empty() ? op_def(l.kind).unit == OpUnit::Array : l.name == a.layer) index = int(i);
    }
    if (index < 0)
        throw UsageError(a.layer.empty() ? fmt::format("--workload: '{}' has no conv2d or fc layer", graph.name)
                                         : fmt::format("--layer: no layer '{}' in '{}' (after folding batchnorm "
                                                       "and fusing activations)",
                                                       a.layer, graph.name));
    const ExplainProblem problem = explain_problem(w.model, index, a.max_macs);
    const ExplainLog log =
        run_explain(problem, config.dataflow, ArrayShape{config.rows, config.cols}, config.clock_mhz, a.vcd);
    // Errors after the SystemC run are returned, not thrown (try_write_file says why).
    std::string error = log.write_error;
    if (!a.quiet) std::cout << explain_text(problem, log);
    if (error.empty() && !a.html.empty())
        error = try_write_file(a.html, explain_html(problem, log,
                                                    fmt::format("npusim explain: {} on {} ({})", graph.name,
                                                                config.name, dataflow_name(config.dataflow))));
    if (error.empty()) return 0;
    std::cerr << "npusim: error: " << error << "\n";
    return 1;
}

}  // namespace

Action add_explain_command(CLI::App& app, const DataPaths& paths) {
    auto a = std::make_shared<ExplainArgs>();
    add_design_options(app, a->design, "A small design (at most 32x32), e.g. tiny_4x4");
    app.add_option("--workload", a->workload, "Model: a zoo name (seed), a YAML or ONNX file")->required();
    app.add_option("--layer", a->layer, "The conv/fc layer to show (default: the first)");
    app.add_option("--vcd", a->vcd, "Write a VCD waveform of every PE register (GTKWave), to exactly this path");
    app.add_option("--html", a->html, "Write a self-contained page that animates the array");
    app.add_option("--max-macs", a->max_macs, "Refuse layers with more MACs than this (default 20000)");
    app.add_flag("--quiet", a->quiet, "Do not print the cycle-by-cycle text");
    return [a, &paths] { return explain(*a, paths); };
}

}  // namespace npu::cli

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/json_text.h"
#include "sim/cli/commands.h"
#include "sim/cli/progress_display.h"
#include "sim/cli/run_designs.h"
#include "sim/cli/tensor_io.h"
#include "sim/config/arch_loader.h"
#include "sim/config/design_files.h"
#include "sim/report/report.h"
#include "sim/runtime/dataset_eval.h"
#include "sim/runtime/scalesim_model.h"
#include "sim/runtime/simulation.h"
#include "workloads/ir/float_model.h"
#include "workloads/model_loader.h"
#include "workloads/workload_files.h"
#include "workloads/zoo.h"

namespace npu::cli {
namespace {

struct RunArgs {
    DesignArgs design;
    std::string workload;
    int64_t batch = 1;
    std::string input_size;
    std::string fidelity = "fast";
    std::string timing_model = "npusim";
    std::string json, csv, trace;
    std::string dataset;  // evaluate on its test images instead of one generated input
    int64_t images = 0;
    bool timing_only = false;
    bool no_check = false;
    bool quiet = false;
    bool tiling = false;
    uint64_t seed = 1;
    std::string prune;  // --prune: "", N:M, D or global:D
    TensorIoArgs io;    // --input, --output, --dump-layers, --top-k
};

// "224" or "224x160" (height x width).
void parse_input_size(const std::string& text, int64_t& h, int64_t& w) {
    if (text.empty()) return;
    try {
        const size_t x = text.find('x');
        h = std::stoll(text.substr(0, x));
        w = x == std::string::npos ? h : std::stoll(text.substr(x + 1));
    } catch (const std::exception&) {
        throw UsageError(fmt::format("--input-size: expected N or HxW, got '{}'", text));
    }
    if (h < 1 || w < 1) throw UsageError(fmt::format("--input-size: sizes must be >= 1, got '{}'", text));
}

// The one line of a failure found after the simulation ran, and the status of a bad output.
int report_error(const std::string& message) {
    fmt::print(stderr, "npusim: error: {}\n", message);
    return 1;
}

std::vector<OutputFile> output_files(const RunArgs& a) {
    return {{"--json", a.json}, {"--csv", a.csv}, {"--trace", a.trace}, {"--output", a.io.output}};
}

// Options that cannot apply together are refused before any file is read, not ignored.
void check_option_combinations(const RunArgs& a) {
    if (a.timing_model == "scalesim") {
        if (a.tiling) throw UsageError("--tiling: the scalesim timing model has no tiles (use --timing-model npusim)");
        if (!a.trace.empty())
            throw UsageError("--trace: the scalesim timing model is a formula per layer, with no events to trace");
        if (a.fidelity == "detailed")
            throw UsageError(
                "--fidelity detailed: the scalesim timing model has no PE grid (use --timing-model npusim)");
    }
    if (a.dataset.empty() && a.images != 0) throw UsageError("--images: only with --dataset");
    if (!a.prune.empty() && a.timing_model == "scalesim")
        throw UsageError("--prune: the scalesim timing model is a dense formula per layer (use --timing-model npusim)");
    if (!a.prune.empty() && a.timing_only && parse_prune_spec(a.prune, "--prune").kind != PruneSpec::Kind::NM)
        throw UsageError(
            "--prune " + a.prune +
            ": magnitude pruning needs the weights' values, so a functional run (not --timing-only); N:M pruning "
            "works in both");
    if (!a.dataset.empty() && a.io.any())
        throw UsageError("--dataset: brings its own inputs; --input, --output, --dump-layers and --top-k are for one");
    check_tensor_io_args(a.io, !a.timing_only && a.timing_model != "scalesim");
}

// --prune, else the model file's `prune:` (checked when it was read).
PruneSpec resolve_prune(const RunArgs& a, const Graph& graph) {
    if (!a.prune.empty()) return parse_prune_spec(a.prune, "--prune");
    return graph.prune.empty() ? PruneSpec{} : parse_prune_spec(graph.prune, "prune");
}

// --dataset: top-1 accuracy over the data set's test images, on the NPU and on the CPU reference.
int run_dataset(const RunArgs& a, const Graph& graph, const ResolvedDesign& design) {
    if (a.timing_only || a.timing_model == "scalesim")
        throw UsageError("--dataset: needs a functional run (not --timing-only or --timing-model scalesim)");
    if (!a.trace.empty() || !a.csv.empty() || a.tiling)
        throw UsageError("--dataset: --trace, --csv and --tiling describe one inference");
    if (a.images < 0) throw UsageError(fmt::format("--images: must be >= 0, got {}", a.images));
    const PruneSpec prune = resolve_prune(a, graph);
    const Shape in = graph.input().output;
    DatasetSplit split = load_dataset(a.dataset, DatasetPaths{}, design.limits);
    split.train = pad_to(split.train, in.c, in.h, in.w);
    split.test = pad_to(split.test, in.c, in.h, in.w);
    SimulationOptions options;
    options.limits = design.limits;
    Simulation sim(design.config, options);
    const bool show_progress = !a.quiet && isatty(STDERR_FILENO);
    const DatasetEvaluation e = evaluate_on_dataset(
        sim, graph, design.precision, split, a.images, a.seed,
        [&](int64_t done, int64_t total) {
            if (show_progress) fmt::print(stderr, "\r\033[K  {}/{} images", done, total);
        },
        prune);
    if (show_progress) fmt::print(stderr, "\r\033[K");
    const double per_batch_ms = e.simulated_ns / 1e6 / double(std::max<int64_t>(1, e.batches));
    if (!writes_to_stdout(output_files(a)))
        fmt::print(
            "npusim run --dataset: {}{} on {}, {}, {} test images of {} in batches of {}\n"
            "  top-1 accuracy on the NPU ({}):          {:.2f}%\n"
            "  top-1 accuracy of the FP32 CPU reference: {:.2f}%\n"
            "  the same class as the reference:          {:.2f}% of the images\n"
            "  simulated: {:.3f} ms per batch ({:.0f} images/s), {:.4f} mJ per image\n",
            graph.name, prune.active() ? " (pruned " + prune.describe() + ")" : "", design.config.name,
            precision_name(design.precision), e.images, split.test.name, in.n, precision_name(design.precision),
            100.0 * e.accuracy(), 100.0 * e.reference_accuracy(), 100.0 * e.agreement(), per_batch_ms,
            double(in.n) / (per_batch_ms / 1e3), e.energy_pj / 1e9 / double(std::max<int64_t>(1, e.images)));
    if (!a.json.empty())
        if (const std::string error =
                try_write_file(a.json, json_text(nlohmann::ordered_json{{"model", graph.name},
                                                                        {"design", design.config.name},
                                                                        {"precision", precision_name(design.precision)},
                                                                        {"dataset", split.test.name},
                                                                        {"pruning", prune.describe()},
                                                                        {"images", e.images},
                                                                        {"batch", in.n},
                                                                        {"accuracy", e.accuracy()},
                                                                        {"reference_accuracy", e.reference_accuracy()},
                                                                        {"agreement", e.agreement()},
                                                                        {"simulated_ns", e.simulated_ns},
                                                                        {"energy_pj", e.energy_pj}}) +
                                           "\n");
            !error.empty())
            return report_error(error);
    return 0;
}

// The run's options for a child `npusim run` of each design (run_designs.h).
std::vector<std::string> child_options(const RunArgs& a) {
    const DesignArgs& d = a.design;
    std::vector<std::string> o{
        "--workload",           a.workload,   "--batch",  std::to_string(a.batch), "--seed",
        std::to_string(a.seed), "--fidelity", a.fidelity, "--timing-model",        a.timing_model};
    for (const auto& [option, value] : {std::pair{"--input-size", a.input_size},
                                        {"--dataflow", d.dataflow},
                                        {"--precision", d.precision},
                                        {"--residency", d.residency},
                                        {"--fusion", d.fusion},
                                        {"--sparsity", d.sparsity},
                                        {"--prune", a.prune}})
        if (!value.empty()) o.insert(o.end(), {option, value});
    if (a.timing_only) o.push_back("--timing-only");
    if (a.no_check) o.push_back("--no-check");
    for (const std::string& limit : d.limits) o.insert(o.end(), {"--limit", limit});
    return o;
}

int run_several(const RunArgs& a) {
    if (!a.trace.empty() || a.tiling || !a.dataset.empty() || a.io.any())
        throw UsageError(
            "--arch given more than once compares designs side by side: --trace, --tiling, --dataset, "
            "--input, --output, --dump-layers and --top-k are for one design");
    check_option_combinations(a);
    check_output_files({{"--json", a.json}, {"--csv", a.csv}});
    return run_side_by_side(SideBySide{a.design.archs, child_options(a), a.json, a.csv, a.quiet});
}

// One inference on the npusim timing model (functional or timing-only), then every output.
int simulate(const RunArgs& a, const Graph& graph, const ResolvedDesign& design) {
    const bool show_progress = !a.quiet && isatty(STDERR_FILENO);
    const auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    // A model file's magnitude pruning in a timing-only run: no values to prune; the report says
    // so. N:M pruning's structure is known without values.
    const PruneSpec prune = resolve_prune(a, graph);
    const bool prunes = !a.timing_only || prune.kind == PruneSpec::Kind::NM;
    if (a.fidelity == "detailed" &&
        (design.config.sparsity == ArraySparsity::NM || design.config.sparsity == ArraySparsity::ZeroSkip))
        throw UsageError(fmt::format(
            "--fidelity detailed: array.sparsity {} is modelled at fast fidelity only (the PE grid maps weights "
            "dense); use --fidelity fast",
            sparsity_name(design.config.sparsity)));
    if (show_progress) fmt::print(stderr, "preparing {}...", graph.name);
    const PreparedWorkload workload = prepare_workload(
        graph, design.precision, !a.timing_only, a.seed,
        show_progress ? prepare_progress(graph.name, elapsed) : PrepareProgress(), prunes ? prune : PruneSpec{});
    SimulationOptions options;
    options.functional = !a.timing_only;
    options.trace = !a.trace.empty();
    options.check = !a.no_check;
    options.limits = design.limits;
    if (a.fidelity == "detailed") options.fidelity = Fidelity::Detailed;  // checked by the parser
    Simulation sim(design.config, options);
    if (show_progress) sim.on_progress(layer_progress(workload.model.graph, elapsed, elapsed()));
    RunResult result = sim.run(workload);
    if (!prunes && prune.active()) result.pruning = prune.describe();
    if (show_progress) fmt::print(stderr, "\r\033[Kdone in {:.2f} s\n", elapsed());

    std::ostream& text = writes_to_stdout(output_files(a)) ? std::cerr : std::cout;
    if (&text == &std::cout) {
        print_table(std::cout, result);
        if (a.tiling) print_tilings(std::cout, result);
    }
    // Errors after the simulation are returned, not thrown (try_write_file says why).
    std::string error = report_tensor_outputs(a.io, sim, workload, text);
    if (error.empty() && !a.json.empty()) error = try_write_file(a.json, to_json(result));
    if (error.empty() && !a.csv.empty()) error = try_write_file(a.csv, to_csv(result));
    if (error.empty() && !a.trace.empty()) error = try_write_file(a.trace, to_chrome_trace(result, sim.trace()));
    if (!error.empty()) return report_error(error);
    return result.checked && !result.check_passed ? 4 : 0;
}

int run(const RunArgs& a, const DataPaths& paths) {
    if (a.design.archs.size() > 1) return run_several(a);
    check_option_combinations(a);
    check_output_files(output_files(a), true);
    const bool without_values = a.timing_only || a.timing_model == "scalesim";
    LoadedInputs in = load_inputs(a.design, a.workload, paths, without_values);
    in.design.limits.per_image_activations = without_values;
    const ResolvedDesign& design = in.design;
    const NpuConfig& config = design.config;
    const Precision precision = design.precision;
    Graph& graph = in.graph;
    int64_t h = 0, w = 0;
    parse_input_size(a.input_size, h, w);
    if (a.batch < 1) throw UsageError(fmt::format("--batch: must be >= 1, got {}", a.batch));
    reshape_input(graph, a.batch, h, w, design.limits);
    apply_input(a.io, graph, design.limits);

    if (!config.supports(precision))
        throw CompileError(fmt::format("design '{}' has no {} MACs", config.name, precision_name(precision)));
    if (!a.dataset.empty()) return run_dataset(a, graph, design);
    if (a.timing_model == "scalesim") {
        const RunResult result = run_scalesim_model(inference_graph(graph).graph, config, precision);
        if (!writes_to_stdout(output_files(a))) print_table(std::cout, result);
        if (!a.json.empty()) write_file(a.json, to_json(result));
        if (!a.csv.empty()) write_file(a.csv, to_csv(result));
        return 0;
    }
    return simulate(a, graph, design);
}

}  // namespace

Action add_run_command(CLI::App& app, const DataPaths& paths) {
    auto a = std::make_shared<RunArgs>();
    add_design_options(app, a->design, "Design: a shipped name (npusim list), a YAML file or a SCALE-Sim .cfg", true);
    app.add_option("--workload", a->workload,
                   "Model: a zoo name (npusim list), a YAML or ONNX file, or a SCALE-Sim topology .csv")
        ->required();
    app.add_option("--batch", a->batch, "Images per inference (default 1)");
    app.add_option("--input-size", a->input_size, "Override the input resolution: N or HxW");
    app.add_option("--seed", a->seed, "Seed of the generated weights and inputs (default 1)");
    app.add_option("--json", a->json, "Write the full report as JSON (- for stdout, instead of the table)");
    app.add_option("--csv", a->csv, "Write the per-layer table as CSV (- for stdout, instead of the table)");
    app.add_option("--trace", a->trace, "Write a Chrome trace (Perfetto) of DMA, array and vector activity");
    add_choice_option(app, "--timing-model", a->timing_model, {"npusim", "scalesim"},
                      "npusim (this simulator) or scalesim (SCALE-Sim v2's ideal-memory cycle formula)");
    add_choice_option(app, "--fidelity", a->fidelity, {"fast", "detailed"},
                      "fast (tile-level timing) or detailed (cycle-exact PE grid; same cycles, slower)");
    app.add_flag("--timing-only", a->timing_only, "Skip data and arithmetic (same cycle counts, faster)");
    app.add_option("--prune", a->prune,
                   "Prune the conv/fc weights (functional runs): N:M (e.g. 2:4: at most N nonzero in every M "
                   "along K), D (keep the density D of each layer's largest weights, 0 < D < 1) or global:D")
        ->check(CLI::Validator([](std::string& v) { return prune_spec_error(v); }, "", "pruning"));
    app.add_flag("--no-check", a->no_check, "Do not compare outputs with the CPU reference");
    app.add_flag("--tiling", a->tiling, "Also print each conv/fc layer's tiling: the tile chosen, its estimate, why");
    app.add_flag("--quiet", a->quiet, "No progress display on stderr");
    app.add_option("--dataset", a->dataset,
                   "Classify a data set's test images (fashion-mnist, digits or a directory of IDX files) and "
                   "report top-1 accuracy");
    app.add_option("--images", a->images, "--dataset: the first N test images only (default all)");
    add_tensor_io_options(app, a->io);
    app.footer(
        "Exit status: 0 ok, 1 bad input (design, model, file), 2 bad arguments, "
        "4 functional check failed.");
    return [a, &paths] {
        a->design.arch = a->design.archs.front();  // --arch is required: there is one
        return run(*a, paths);
    };
}

}  // namespace npu::cli

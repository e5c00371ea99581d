#include <fmt/format.h>

#include "sim/cli/commands.h"
#include "sim/config/design_files.h"
#include "workloads/io/error.h"
#include "workloads/io/limits.h"

namespace npu::cli {

namespace {

Dataflow parse_dataflow_option(const std::string& text) {
    if (text == "ws") return Dataflow::WeightStationary;
    if (text == "os") return Dataflow::OutputStationary;
    if (text == "is") return Dataflow::InputStationary;
    throw UsageError(fmt::format("--dataflow: unknown '{}' (ws, os, is)", text));
}

}  // namespace

void add_limit_option(CLI::App& app, std::vector<std::string>& limits) {
    std::string help = "Raise a limit on input sizes, NAME=VALUE (repeatable). Defaults:";
    for (const std::string& line : describe_limits()) help += "\n  " + line;
    app.add_option("--limit", limits, help)->type_name("NAME=VALUE");
}

void apply_limits(const std::vector<std::string>& limits) {
    for (const std::string& l : limits) set_limit(l);
}

void add_design_options(CLI::App& app, DesignArgs& args, const std::string& arch_help) {
    app.add_option("--arch", args.arch, arch_help)->required();
    app.add_option("--dataflow", args.dataflow, "Override the design's dataflow: ws, os or is");
    app.add_option("--precision", args.precision, "int8, fp16 or fp32 (default: the design's first)");
    add_limit_option(app, args.limits);
}

NpuConfig resolve_design_args(const DesignArgs& args, const DataPaths& paths, Precision& precision) {
    apply_limits(args.limits);
    NpuConfig config = load_design_file(resolve_design(args.arch, paths.arch_dir()), paths.energy_dir());
    if (!args.dataflow.empty()) config.dataflow = parse_dataflow_option(args.dataflow);
    precision = config.precisions.front();
    if (!args.precision.empty() && !parse_precision(args.precision, precision))
        throw UsageError(fmt::format("--precision: unknown '{}' (int8, fp16, fp32)", args.precision));
    return config;
}

}  // namespace npu::cli

#include <fmt/format.h>

#include "common/error.h"
#include "common/limits.h"
#include "sim/cli/commands.h"
#include "sim/config/design_files.h"

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
    for (const std::string& line : Limits::describe()) help += "\n  " + line;
    app.add_option("--limit", limits, help)->type_name("NAME=VALUE");
}

Limits parse_limits(const std::vector<std::string>& assignments) {
    Limits limits;
    for (const std::string& a : assignments) limits.set(a);
    return limits;
}

void add_design_options(CLI::App& app, DesignArgs& args, const std::string& arch_help) {
    app.add_option("--arch", args.arch, arch_help)->required();
    app.add_option("--dataflow", args.dataflow, "Override the design's dataflow: ws, os or is");
    app.add_option("--precision", args.precision, "int8, fp16 or fp32 (default: the design's first)");
    add_limit_option(app, args.limits);
}

ResolvedDesign resolve_design_args(const DesignArgs& args, const DataPaths& paths) {
    ResolvedDesign d;
    d.limits = parse_limits(args.limits);
    d.config = load_design_file(resolve_design(args.arch, paths.arch_dir()), paths.energy_dir(), d.limits);
    if (!args.dataflow.empty()) d.config.dataflow = parse_dataflow_option(args.dataflow);
    d.precision = d.config.precisions.front();
    if (!args.precision.empty() && !parse_precision(args.precision, d.precision))
        throw UsageError(fmt::format("--precision: unknown '{}' (int8, fp16, fp32)", args.precision));
    return d;
}

}  // namespace npu::cli

#include <fmt/format.h>

#include <filesystem>

#include "common/error.h"
#include "common/limits.h"
#include "sim/cli/commands.h"
#include "sim/config/design_files.h"
#include "workloads/workload_files.h"
#include "workloads/zoo.h"

namespace npu::cli {

namespace {}  // namespace

CLI::Option* add_choice_option(CLI::App& app, const std::string& name, std::string& value,
                               const std::vector<std::string>& choices, const std::string& help) {
    auto check = [choices](std::string& v) -> std::string {
        for (const std::string& c : choices)
            if (v == c) return "";
        return fmt::format("unknown '{}' ({})", v, fmt::join(choices, ", "));
    };
    return app.add_option(name, value, help)->check(CLI::Validator(check, "", "choice"));
}

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
    add_choice_option(app, "--dataflow", args.dataflow, {"ws", "os", "is"},
                      "Override the design's dataflow: ws, os or is");
    add_choice_option(app, "--precision", args.precision, {"int8", "fp16", "bf16", "fp32"},
                      "int8, fp16, bf16 or fp32 (default: the design's first)");
    add_choice_option(app, "--residency", args.residency, {"on", "off"},
                      "Keep activations on chip where they fit (on) or move every tensor through DRAM (off); "
                      "default: the design's memory.residency");
    add_choice_option(app, "--fusion", args.fusion, {"on", "off"},
                      "Fuse each conv with the residual add right after it (on) or run them apart (off); "
                      "default: the design's memory.fusion");
    add_limit_option(app, args.limits);
}

ResolvedDesign resolve_design_args(const DesignArgs& args, const DataPaths& paths) {
    ResolvedDesign d;
    d.limits = parse_limits(args.limits);
    d.config = load_design_file(resolve_design(args.arch, paths.arch_dir()), paths.energy_dir(), d.limits);
    // The parser checked both values (add_choice_option).
    if (!args.dataflow.empty() && !parse_dataflow(args.dataflow, d.config.dataflow))
        throw std::logic_error("--dataflow passed the parser unchecked");
    if (!args.residency.empty()) d.config.memory.residency = args.residency == "on";
    if (!args.fusion.empty()) d.config.memory.fusion = args.fusion == "on";
    d.precision = d.config.precisions.front();
    if (!args.precision.empty() && !parse_precision(args.precision, d.precision))
        throw std::logic_error("--precision passed the parser unchecked");
    return d;
}

LoadedInputs load_inputs(const DesignArgs& args, const std::string& workload, const DataPaths& paths) {
    LoadedInputs in;
    in.design = resolve_design_args(args, paths);
    in.graph = load_workload_file(resolve_model(workload, paths.models_dir()), in.design.limits);
    return in;
}

void check_output_path(const std::string& option, const std::string& path) {
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    if (!path.empty() && !folder.empty() && !std::filesystem::is_directory(folder))
        throw UsageError(fmt::format("{}: {}: no folder {}", option, path, folder.string()));
}

}  // namespace npu::cli

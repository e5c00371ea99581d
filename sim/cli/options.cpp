#include <fmt/format.h>

#include <unistd.h>

#include <filesystem>

#include "common/error.h"
#include "common/limits.h"
#include "sim/cli/commands.h"
#include "sim/config/design_files.h"
#include "workloads/workload_files.h"
#include "workloads/zoo.h"

namespace npu::cli {

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

void add_design_options(CLI::App& app, DesignArgs& args, const std::string& arch_help, bool several) {
    if (several)
        app.add_option("--arch", args.archs, arch_help + "; more than once: the designs side by side")->required();
    else
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
    add_choice_option(app, "--sparsity", args.sparsity, {"none", "nm", "zero_gate", "zero_skip"},
                      "Override the design's array.sparsity: none, nm (N:M compressed weights), zero_gate or "
                      "zero_skip");
    add_limit_option(app, args.limits);
}

ResolvedDesign resolve_design_args(const DesignArgs& args, const DataPaths& paths) {
    ResolvedDesign d;
    d.limits = parse_limits(args.limits);
    d.config = load_design_file(resolve_design(args.arch, paths.arch_dir()), paths.energy_dir(), d.limits);
    // The parser checked both values (add_choice_option).
    if (!args.dataflow.empty() && !parse_dataflow(args.dataflow, d.config.dataflow))
        throw std::logic_error("--dataflow passed the parser unchecked");
    if (!args.sparsity.empty() && !parse_sparsity(args.sparsity, d.config.sparsity))
        throw std::logic_error("--sparsity passed the parser unchecked");
    if (const std::string error = sparsity_dataflow_error(d.config.sparsity, d.config.dataflow); !error.empty())
        throw UsageError(fmt::format("--dataflow/--sparsity: design '{}': {}", d.config.name, error));
    if (!args.residency.empty()) d.config.memory.residency = args.residency == "on";
    if (!args.fusion.empty()) d.config.memory.fusion = args.fusion == "on";
    d.precision = d.config.precisions.front();
    if (!args.precision.empty() && !parse_precision(args.precision, d.precision))
        throw std::logic_error("--precision passed the parser unchecked");
    return d;
}

LoadedInputs load_inputs(const DesignArgs& args, const std::string& workload, const DataPaths& paths,
                         bool structure_only) {
    LoadedInputs in;
    in.design = resolve_design_args(args, paths);
    in.graph = load_workload_file(resolve_model(workload, paths.models_dir()), in.design.limits, structure_only);
    return in;
}

namespace {

// Why `path` cannot be written, or "" if it can; creates nothing.
std::string unwritable_reason(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(path, ec)) return "is a directory, not a file";
    if (fs::exists(path, ec)) return access(path.c_str(), W_OK) == 0 ? "" : "cannot open for writing (permission)";
    const fs::path folder = fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
    if (!fs::is_directory(folder, ec)) return fmt::format("cannot open for writing (no folder {})", folder.string());
    if (access(folder.c_str(), W_OK) != 0)
        return fmt::format("cannot open for writing (folder {} not writable)", folder.string());
    return "";
}

}  // namespace

void check_output_files(const std::vector<OutputFile>& outputs, bool stdout_allowed) {
    namespace fs = std::filesystem;
    for (size_t i = 0; i < outputs.size(); ++i) {
        const OutputFile& o = outputs[i];
        if (o.path.empty()) continue;
        for (size_t j = 0; j < i; ++j) {
            std::error_code ec;
            const OutputFile& earlier = outputs[j];
            if (!earlier.path.empty() && (earlier.path == o.path ||
                                          (o.path != "-" && earlier.path != "-" &&
                                           fs::weakly_canonical(earlier.path, ec) == fs::weakly_canonical(o.path, ec))))
                throw UsageError(fmt::format("{} {}: the same file as {}; give each output its own", o.option,
                                             o.path == "-" ? "- (stdout)" : o.path, earlier.option));
        }
        if (o.path == "-" && !stdout_allowed)
            throw UsageError(fmt::format("{} -: this command prints its own report on stdout; name a file", o.option));
        if (o.path == "-") continue;
        if (const std::string reason = unwritable_reason(o.path); !reason.empty())
            throw Error(fmt::format("{} {}: {}", o.option, o.path, reason));
    }
}

void check_output_folder(const std::string& option, const std::string& folder) {
    std::error_code ec;
    if (std::filesystem::exists(folder, ec) && !std::filesystem::is_directory(folder, ec))
        throw Error(fmt::format("{} {}: is a file, not a folder", option, folder));
    std::filesystem::create_directories(folder, ec);
    if (ec || access(folder.c_str(), W_OK) != 0)
        throw Error(
            fmt::format("{} {}: cannot open for writing ({})", option, folder, ec ? ec.message() : "not writable"));
}

bool writes_to_stdout(const std::vector<OutputFile>& outputs) {
    for (const OutputFile& o : outputs)
        if (o.path == "-") return true;
    return false;
}

}  // namespace npu::cli

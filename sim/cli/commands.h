#pragma once
// The npusim subcommands. Each registers its options on the CLI11 app and runs when chosen.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "arch/npu_config.h"
#include "common/limits.h"
#include "sim/config/data_paths.h"
#include "workloads/ir/graph.h"

namespace npu::cli {

using Action = std::function<int()>;

Action add_run_command(CLI::App& app, const DataPaths& paths);
Action add_list_command(CLI::App& app, const DataPaths& paths);
Action add_explain_command(CLI::App& app, const DataPaths& paths);
Action add_sweep_command(CLI::App& app, const DataPaths& paths);
Action add_report_command(CLI::App& app, const DataPaths& paths);
Action add_train_command(CLI::App& app, const DataPaths& paths);
Action add_compare_command(CLI::App& app, const DataPaths& paths);
Action add_gpu_command(CLI::App& app, const DataPaths& paths);

// Options every command that simulates shares: the design, a dataflow override, the precision,
// and raised limits on input sizes (common/limits.h).
struct DesignArgs {
    std::string arch;
    std::vector<std::string> archs;  // commands that take several (run): every --arch, in order
    std::string dataflow;
    std::string precision;
    std::vector<std::string> limits;  // "name=value"
    std::string residency;            // "on", "off" or "" (the design's memory.residency)
    std::string fusion;               // "on", "off" or "" (the design's memory.fusion)
    std::string sparsity;             // none, nm, zero_gate, zero_skip or "" (the design's array.sparsity)
};
// --limit NAME=VALUE (repeatable); parse_limits reads them before any file is read.
void add_limit_option(CLI::App& app, std::vector<std::string>& limits);
Limits parse_limits(const std::vector<std::string>& limits);
// `several`: --arch may be given more than once (into `archs`; `arch` is then the first).
void add_design_options(CLI::App& app, DesignArgs& args, const std::string& arch_help, bool several = false);
// An output file named by an option; "-" is stdout.
struct OutputFile {
    std::string option;  // "--json"
    std::string path;    // "" when the option was not given
};
// Before the work starts, not when its results are ready: no two outputs share a file (a
// UsageError), and each can be written: not a directory, its folder exists and is writable
// (an Error, "--csv out/x.csv: cannot open for writing (no folder out)"). Creates nothing.
// "-" only where the command can keep its text report off stdout.
void check_output_files(const std::vector<OutputFile>& outputs, bool stdout_allowed = false);
// An output folder (sweep --out): created if missing; an Error if that fails or it is a file.
void check_output_folder(const std::string& option, const std::string& folder);
// One of them is stdout: the text report then stays off it, so that stdout is that file alone.
bool writes_to_stdout(const std::vector<OutputFile>& outputs);
// An option whose value is one of `choices`: checked while the command line is parsed, before
// any file is read ("--fidelity: unknown 'x' (fast, detailed)", exit status 2).
CLI::Option* add_choice_option(CLI::App& app, const std::string& name, std::string& value,
                               const std::vector<std::string>& choices, const std::string& help);

struct ResolvedDesign {
    NpuConfig config;
    Precision precision = Precision::Int8;
    Limits limits;  // every later load and compile of the command uses these
};
// Reads the limits, loads the design (npusim YAML or SCALE-Sim .cfg), applies the dataflow
// override and picks the precision (the design's first unless given); throws UsageError naming
// the option.
ResolvedDesign resolve_design_args(const DesignArgs& args, const DataPaths& paths);

// What every simulating command loads first: the design (above) and the workload (a zoo name or
// a model file), under the same limits.
struct LoadedInputs {
    ResolvedDesign design;
    Graph graph;
};
// `structure_only`: a run without values (timing-only) does not decode an ONNX model's weights.
LoadedInputs load_inputs(const DesignArgs& args, const std::string& workload, const DataPaths& paths,
                         bool structure_only = false);

}  // namespace npu::cli

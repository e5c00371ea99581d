#pragma once
// The npusim subcommands. Each registers its options on the CLI11 app and runs when chosen.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "arch/npu_config.h"
#include "sim/config/data_paths.h"

namespace npu::cli {

using Action = std::function<int()>;

Action add_run_command(CLI::App& app, const DataPaths& paths);
Action add_list_command(CLI::App& app, const DataPaths& paths);
Action add_explain_command(CLI::App& app, const DataPaths& paths);

// Shared argument parsing; throws UsageError naming the option.
Dataflow parse_dataflow_option(const std::string& text);

}  // namespace npu::cli

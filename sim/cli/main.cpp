// npusim: a cycle-approximate simulator of systolic-array NPUs. See README.md.
#include <systemc>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>

#include "common/error.h"
#include "kernels/cpu/exact_gemm.h"
#include "sim/cli/arg_check.h"
#include "sim/cli/commands.h"
#include "sim/explore/sweep_mpi.h"

namespace {

int usage_error(const std::string& message) {
    std::cerr << "npusim: error: " << message << "\n";
    return 2;
}

// A report that did not reach stdout (a full disk, a closed pipe) is a failed run, not a silent one.
int checked_stdout(int status) {
    std::cout.flush();
    if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
        std::cerr << "npusim: error: stdout: write failed\n";
        return status == 0 ? 1 : status;
    }
    return status;
}

int run_command(const std::map<CLI::App*, npu::cli::Action>& actions) {
    try {
        for (const auto& [command, action] : actions)
            if (command->parsed()) return action();
    } catch (const npu::UsageError& e) {
        return usage_error(e.what());
    } catch (const npu::Error& e) {
        std::cerr << "npusim: error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "npusim: internal error: " << e.what() << "\n";
        return 3;
    }
    return 0;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    const npu::DataPaths paths = npu::DataPaths::locate(argv[0]);
    CLI::App app{"npusim: cycle-approximate simulator of systolic-array NPUs", "npusim"};
    app.require_subcommand(0, 1);
    app.set_version_flag("--version", [&paths] {  // a callback: OpenBLAS loads only when asked
        return std::string("npusim 0.1.0 (MPI sweeps: ") + (npu::mpi_available() ? "yes" : "no") +
               "; reference GEMM: " + npu::reference_gemm_library() + "; data: " + paths.root + ")";
    });
    std::map<CLI::App*, npu::cli::Action> actions;
    CLI::App* run = app.add_subcommand("run", "Simulate a workload on a design, print per-layer stats");
    actions[run] = npu::cli::add_run_command(*run, paths);
    CLI::App* explain = app.add_subcommand("explain", "Show a layer on the PE grid, cycle by cycle (teaching)");
    actions[explain] = npu::cli::add_explain_command(*explain, paths);
    CLI::App* sweep =
        app.add_subcommand("sweep", "Run a design-space sweep, points in parallel processes (or MPI ranks)");
    actions[sweep] = npu::cli::add_sweep_command(*sweep, paths);
    CLI::App* report = app.add_subcommand("report", "Render sweep results as one self-contained HTML page");
    actions[report] = npu::cli::add_report_command(*report, paths);
    CLI::App* train = app.add_subcommand("train", "Train a model on a data set (the CPU reference trainer)");
    actions[train] = npu::cli::add_train_command(*train, paths);
    CLI::App* compare =
        app.add_subcommand("compare", "The simulated NPU and a measured GPU side by side, layer by layer");
    actions[compare] = npu::cli::add_compare_command(*compare, paths);
    CLI::App* gpu = app.add_subcommand("gpu", "Measure a workload's conv and fc layers on the GPU (CUDA kernels)");
    actions[gpu] = npu::cli::add_gpu_command(*gpu, paths);
    CLI::App* list = app.add_subcommand("list", "List the shipped designs and models");
    actions[list] = npu::cli::add_list_command(*list, paths);
    // Every argument error: one line "npusim: error: ..." and status 2, whoever finds it.
    if (const std::string problem = npu::cli::check_arguments(app, argc, argv); !problem.empty())
        return usage_error(problem);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
        return usage_error(npu::cli::parse_error_message(e));
    }
    if (app.get_subcommands().empty()) {
        std::cerr << app.help();
        return 2;
    }
    return checked_stdout(run_command(actions));
}

// Our own entry point: the SystemC banner would otherwise mix into reports on stdout, and the
// library reads this variable before sc_main runs.
int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}

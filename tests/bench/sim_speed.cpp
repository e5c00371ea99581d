// Benchmark (not a test): wall time of simulating a network, timing-only and functional.
// Usage: npusim_bench_speed [design] [model] [mode: all|timing|functional] [repeats]
// "all" runs each mode in its own process (SystemC elaborates once per process).
#include <systemc>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "sim/config/arch_loader.h"
#include "sim/config/data_paths.h"
#include "sim/runtime/simulation.h"
#include "workloads/model_loader.h"
#include "workloads/zoo.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

int run_mode(const std::string& design, const std::string& model, bool functional, int repeats,
             const npu::DataPaths& paths) {
    const npu::NpuConfig config = npu::load_design(npu::resolve_design(design, paths.arch_dir()), paths.energy_dir());
    const npu::Graph graph = npu::load_model_file(npu::resolve_model(model, paths.models_dir()));
    const npu::Precision precision = config.precisions.front();
    auto t0 = std::chrono::steady_clock::now();
    const npu::PreparedWorkload w = npu::prepare_workload(graph, precision, functional, 1);
    const double prepare_s = seconds_since(t0);
    npu::SimulationOptions options;
    options.functional = functional;
    options.check = false;
    npu::Simulation sim(config, options);
    double best = 1e30, cycles = 0;
    for (int i = 0; i < repeats; ++i) {
        t0 = std::chrono::steady_clock::now();
        const npu::RunResult r = sim.run(w);
        best = std::min(best, seconds_since(t0));
        cycles = double(r.cycles);
    }
    fmt::print(
        "{:<11} {} on {} ({}): simulate {:.3f} s (best of {}), prepare {:.3f} s, "
        "{} instructions, {:.0f} simulated cycles, {:.1f} M simulated MAC/s\n",
        functional ? "functional" : "timing", model, design, npu::precision_name(precision), best, repeats, prepare_s,
        npu::isa::instruction_count(sim.last_compiled().program), cycles,
        double(npu::total_macs(w.model.graph)) / best / 1e6);
    return 0;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    const std::string design = argc > 1 ? argv[1] : "tpu_v1";
    const std::string model = argc > 2 ? argv[2] : "resnet50";
    const std::string mode = argc > 3 ? argv[3] : "all";
    const int repeats = argc > 4 ? std::atoi(argv[4]) : 3;
    const npu::DataPaths paths = npu::DataPaths::locate(argv[0]);
    if (mode == "all") {
        for (const char* m : {"timing", "functional"}) {
            const std::string cmd = fmt::format("'{}' '{}' '{}' {} {}", argv[0], design, model, m,
                                                std::string(m) == "timing" ? repeats : 1);
            if (std::system(cmd.c_str()) != 0) return 1;
        }
        return 0;
    }
    return run_mode(design, model, mode == "functional", repeats, paths);
}

int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}

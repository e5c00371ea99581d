#include "sim/cli/progress_display.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace npu::cli {
namespace {

// work[i + 1]: the work of layers 0..i.
std::vector<double> cumulative_work(const Graph& g, bool by_params) {
    std::vector<double> work(g.layers.size() + 1, 0.0);
    for (size_t i = 0; i < g.layers.size(); ++i) {
        const double w = by_params ? double(layer_params(g, int(i))) + 1.0
                                   : double(layer_macs(g, int(i))) + double(g.layers[i].output.elements());
        work[i + 1] = work[i] + w;
    }
    return work;
}

// ", about 3.4 s left" once a little of the phase is done; `spent`: seconds in the phase so far.
std::string time_left(double done, double spent) {
    return done > 0.02 && done < 1 ? fmt::format(", about {:.1f} s left", spent * (1 - done) / done) : std::string();
}

}  // namespace

PrepareProgress prepare_progress(const std::string& model, const Clock& elapsed) {
    struct Phase {
        std::string name;
        const Graph* graph = nullptr;
        std::vector<double> work;
        double started_s = 0;
    };
    auto phase = std::make_shared<Phase>();
    return [model, elapsed, phase](const char* name, const Graph& g, int layer) {
        if (phase->name != name || phase->graph != &g) {
            *phase = Phase{name, &g, cumulative_work(g, std::string(name) == "generating weights"), elapsed()};
        }
        const double done = phase->work[size_t(layer) + 1] / std::max(1.0, phase->work.back()), spent = elapsed();
        fmt::print(stderr, "\r\033[Kpreparing {}: {}, layer {}/{} ({}), {:.1f} s{}", model, name, layer,
                   g.layers.size() - 1, g.layers[size_t(layer)].name, spent, time_left(done, spent - phase->started_s));
    };
}

Simulation::Progress layer_progress(const Graph& g, const Clock& elapsed, double started_s) {
    auto work = std::make_shared<std::vector<double>>(cumulative_work(g, false));
    return [&g, elapsed, started_s, work](int32_t layer, int32_t layers) {
        const double done = (*work)[size_t(layer) + 1] / std::max(1.0, work->back()), spent = elapsed();
        fmt::print(stderr, "\r\033[Ksimulating layer {}/{} ({}), {:.1f} s{}", layer, layers - 1,
                   g.layers[size_t(layer)].name, spent, time_left(done, spent - started_s));
    };
}

}  // namespace npu::cli

#include "sim/train/ledger_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace npu {
namespace {

double utilization(const ProgramTotals& t, const NpuConfig& c) {
    return t.cycles ? double(t.macs) / (double(t.cycles) * double(c.macs_per_cycle())) : 0.0;
}

std::string phase_line(const std::string& name, const ProgramTotals& t, const NpuConfig& c, double steps) {
    return fmt::format("  {:<18} {:10.3f} ms {:10.3f} mJ {:9.1f} MB {:8.2f} G MACs {:5.1f}%\n", name,
                       t.ns / 1e6 / steps, t.energy.total_pj() / 1e9 / steps,
                       double(t.dram_read_bytes + t.dram_write_bytes) / 1e6 / steps, double(t.macs) / 1e9 / steps,
                       100.0 * utilization(t, c));
}

double layer_ns(const StepLedger::PhaseTotals& p) {
    double ns = 0.0;
    for (const ProgramTotals& t : p) ns += t.ns;
    return ns;
}

nlohmann::ordered_json totals_json(const ProgramTotals& t, double steps) {
    return {{"ns", t.ns / steps},
            {"energy_pj", t.energy.total_pj() / steps},
            {"dram_read_bytes", double(t.dram_read_bytes) / steps},
            {"dram_write_bytes", double(t.dram_write_bytes) / steps},
            {"macs", double(t.macs) / steps}};
}

}  // namespace

std::string phase_table(const StepLedger& l, const NpuConfig& c, double steps, int64_t images_per_step) {
    std::string out = fmt::format("  {:<18} {:>13} {:>13} {:>12} {:>14} {:>6}\n", "per step", "time", "energy", "DRAM",
                                  "array work", "util");
    for (int p = 0; p < kTrainPhaseCount; ++p)
        out += phase_line(train_phase_name(TrainPhase(p)), l.phase(TrainPhase(p)), c, steps);
    const ProgramTotals total = l.total();
    out += phase_line("total", total, c, steps);
    const double step_s = total.ns / 1e9 / steps;
    out += fmt::format(
        "  = {:.0f} images/s, {:.3f} mJ per image, {} programs per step\n", double(images_per_step) / step_s,
        total.energy.total_pj() / 1e9 / steps / double(images_per_step), int64_t(double(l.programs()) / steps + 0.5));
    return out;
}

std::string costliest_layers(const StepLedger& l, const Graph& g, double steps, int count) {
    std::vector<size_t> order(l.layers().size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return layer_ns(l.layers()[a]) > layer_ns(l.layers()[b]); });
    std::string out = fmt::format("  {:<24} {:>10} {:>10} {:>10} {:>10} (us per step)\n", "costliest layers", "forward",
                                  "data grad", "wt grad", "update");
    for (size_t k = 0; k < order.size() && k < size_t(count); ++k) {
        const StepLedger::PhaseTotals& p = l.layers()[order[k]];
        if (layer_ns(p) == 0.0) break;
        out += fmt::format("  {:<24} {:10.1f} {:10.1f} {:10.1f} {:10.1f}\n", g.layers[order[k]].name,
                           p[0].ns / 1e3 / steps, p[1].ns / 1e3 / steps, p[2].ns / 1e3 / steps, p[3].ns / 1e3 / steps);
    }
    return out;
}

nlohmann::ordered_json ledger_json(const StepLedger& l, const Graph& g, const NpuConfig& c, double steps) {
    nlohmann::ordered_json phases, layers = nlohmann::ordered_json::array();
    for (int p = 0; p < kTrainPhaseCount; ++p) {
        nlohmann::ordered_json j = totals_json(l.phase(TrainPhase(p)), steps);
        j["array_utilization"] = utilization(l.phase(TrainPhase(p)), c);
        phases[train_phase_key(TrainPhase(p))] = j;
    }
    for (size_t i = 0; i < l.layers().size() && i < g.layers.size(); ++i) {
        nlohmann::ordered_json j{{"name", g.layers[i].name}};
        for (int p = 0; p < kTrainPhaseCount; ++p)
            j[train_phase_key(TrainPhase(p))] = totals_json(l.layers()[i][size_t(p)], steps);
        layers.push_back(j);
    }
    return {{"design", c.name},
            {"steps", steps},
            {"per_step", totals_json(l.total(), steps)},
            {"programs_per_step", double(l.programs()) / steps},
            {"phases", phases},
            {"layers", layers}};
}

}  // namespace npu

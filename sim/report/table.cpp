#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/report/report.h"

namespace npu {
namespace {

std::string human_bytes(double bytes) {
    if (bytes >= 1e9) return fmt::format("{:.2f} GB", bytes / 1e9);
    if (bytes >= 1e6) return fmt::format("{:.2f} MB", bytes / 1e6);
    if (bytes >= 1e3) return fmt::format("{:.1f} kB", bytes / 1e3);
    return fmt::format("{:.0f} B", bytes);
}

std::string human_count(double v) {
    if (v >= 1e9) return fmt::format("{:.2f}G", v / 1e9);
    if (v >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
    if (v >= 1e3) return fmt::format("{:.1f}k", v / 1e3);
    return fmt::format("{:.0f}", v);
}

std::string human_energy(double pj) {
    if (pj >= 1e9) return fmt::format("{:.2f} mJ", pj / 1e9);
    if (pj >= 1e6) return fmt::format("{:.2f} uJ", pj / 1e6);
    if (pj >= 1e3) return fmt::format("{:.2f} nJ", pj / 1e3);
    return fmt::format("{:.0f} pJ", pj);
}

// Where a layer's input, weights and output lived: S on chip, D DRAM, M mixed, F fused into the
// next layer (never stored; a fused pool's input), - none.
std::string homes(const LayerResult& l) {
    auto letter = [](const std::string& h) {
        return h == "sram" ? 'S' : h == "dram" ? 'D' : h == "mixed" ? 'M' : h == "fused" ? 'F' : '-';
    };
    return {letter(l.input_home), letter(l.weights_home), letter(l.output_home)};
}

// The sparse array's line: what it skipped, gated and packed; or why it saw no zeros.
void print_sparsity(std::ostream& out, const RunResult& r) {
    if (r.sparsity_mode == "none" || r.timing_model == "scalesim") return;
    const SparsityCounts& s = r.sparsity;
    const double dense = double(r.macs + s.skipped_macs);
    fmt::print(
        out, "sparsity: array.sparsity {}: {} MACs skipped ({:.1f}% of dense), {} gated{}\n", r.sparsity_mode,
        human_count(double(s.skipped_macs)), dense > 0 ? 100.0 * double(s.skipped_macs) / dense : 0.0,
        human_count(double(s.gated_macs)),
        s.packed_weight_bytes ? ", " + human_bytes(double(s.packed_weight_bytes)) + " of N:M-packed weights read" : "");
    if (!r.functional && (r.sparsity_mode == "zero_gate" || r.sparsity_mode == "zero_skip"))
        fmt::print(out,
                   "          {} reads the operands' values: a timing-only run has none and assumes dense weights and "
                   "activations\n",
                   r.sparsity_mode);
    if (r.sparsity_mode == "nm" && s.packed_weight_bytes == 0)
        fmt::print(out, "          nm maps N:M-pruned weights only; this run has none (--prune N:M)\n");
}

}  // namespace

void print_table(std::ostream& out, const RunResult& r) {
    fmt::print(out, "npusim: {} on {} ({}x{} {}, {} MHz, peak {:.3g} TOPS), {}, batch {}, {}\n\n", r.workload, r.design,
               r.rows, r.cols, r.dataflow, r.clock_mhz, r.peak_tops, r.precision, r.batch,
               r.timing_model == "scalesim" ? "SCALE-Sim v2 timing (ideal memory)"
               : r.functional               ? "functional"
                                            : "timing only");
    fmt::print(out, "{:<24} {:<16} {:>15} {:>8} {:>10} {:>10} {:>10} {:>6} {:>9} {:>9} {:>3} {:>10}{}\n", "layer",
               "type", "output", "MACs", "cycles", "compute", "stall", "util", "DRAM rd", "DRAM wr", "mem", "energy",
               r.checked ? "  check" : "");
    for (const LayerResult& l : r.layers) {
        const double util = l.utilization(r.rows * r.cols);
        std::string check;
        if (l.checked) check = l.mismatches ? fmt::format("  FAIL {}", l.mismatches) : "  ok";
        fmt::print(out, "{:<24} {:<16} {:>15} {:>8} {:>10} {:>10} {:>10} {:>5.1f}% {:>9} {:>9} {:>3} {:>10}{}\n",
                   l.name.substr(0, 24), l.kind.substr(0, 16), l.output.str(), human_count(double(l.macs)), l.cycles,
                   l.compute_cycles, l.stall_cycles, 100.0 * util, human_bytes(double(l.dram_read_bytes)),
                   human_bytes(double(l.dram_write_bytes)), homes(l), human_energy(l.energy.total_pj()), check);
    }
    if (r.timing_model != "scalesim")
        fmt::print(out,
                   "(mem: where a layer's input, weights and output lived: S on chip, D DRAM, M mixed, F fused "
                   "(the conv's output handed to the add or pool after it))\n");
    const double time_ms = r.time_ns() / 1e6;
    fmt::print(out, "\ntotal: {} MACs in {} cycles = {:.3f} ms ({} compute, {} memory stall)\n",
               human_count(double(r.macs)), r.cycles, time_ms, r.compute_cycles, r.stall_cycles);
    fmt::print(out, "       MAC utilization {:.1f}%, {:.3g} TOPS achieved of {:.3g} peak, {:.1f} inferences/s\n",
               100.0 * r.utilization(), r.achieved_tops(), r.peak_tops, r.inferences_per_second());
    if (r.timing_model == "scalesim")
        fmt::print(out, "       memory not modeled: SCALE-Sim's ideal-memory compute cycles (CALC bandwidth)\n");
    else
        fmt::print(out, "       DRAM {} read, {} written ({:.2f}x the compulsory {}), {:.1f} GB/s average\n",
                   human_bytes(double(r.dram_read_bytes)), human_bytes(double(r.dram_write_bytes)),
                   double(r.dram_read_bytes + r.dram_write_bytes) / double(r.compulsory_dram_bytes),
                   human_bytes(double(r.compulsory_dram_bytes)),
                   double(r.dram_read_bytes + r.dram_write_bytes) / r.time_ns());
    if (r.dram.banked && r.time_ns() > 0)
        fmt::print(
            out, "       banked DRAM: busiest bank {:.1f}% of the run, mean {:.1f}% over {} banks; refresh {:.1f} us\n",
            100.0 * r.dram.bank_busy_max_ns / r.time_ns(), 100.0 * r.dram.bank_busy_mean_ns / r.time_ns(),
            r.dram.bank_busy_ns.size(), r.dram.refresh_ns / 1e3);
    if (r.timing_model != "scalesim")
        fmt::print(out,
                   "memory: {}; on-chip peak {} (resident tensors {}), {} tensors on chip, {} in DRAM, {} fused{}\n",
                   r.residency ? "activations on chip where they fit" : "residency off, every tensor in DRAM",
                   human_bytes(double(r.onchip_peak_bytes)), human_bytes(double(r.resident_peak_bytes)),
                   r.resident_tensors, r.dram_tensors, r.fused_tensors,
                   r.onchip_read_bytes + r.onchip_write_bytes
                       ? fmt::format(", {} moved on chip instead",
                                     human_bytes(double(r.onchip_read_bytes + r.onchip_write_bytes)))
                       : "");
    // Dense random INT8 weights have a percent or two of zeros (small weights round to 0): the
    // line is for pruned runs and for models whose weights are sparse already.
    if (r.weights.values == 0 && !r.pruning.empty())
        fmt::print(out,
                   r.pruning_applied
                       ? "weights: pruned {} (its structure: a timing-only run has no values to count)\n"
                       : "weights: the model asks to be pruned {}; a timing-only run has no values to prune\n",
                   r.pruning);
    print_sparsity(out, r);
    if (r.weights.values > 0 && (!r.pruning.empty() || r.weights.density() < 0.9))
        fmt::print(out, "weights: {}{} of {} conv/fc weights nonzero (density {:.3f})\n",
                   r.pruning.empty() ? "" : "pruned " + r.pruning + "; ", human_count(double(r.weights.nonzero)),
                   human_count(double(r.weights.values)), r.weights.density());
    const EnergyBreakdown& e = r.energy;
    std::string sram;
    for (const auto& [name, pj] : e.sram_pj) sram += fmt::format(", {} {}", name, human_energy(pj));
    fmt::print(out, "energy: {} = MAC {}, DRAM {}, vector {}, static {}{}\n", human_energy(e.total_pj()),
               human_energy(e.mac_pj), human_energy(e.dram_pj), human_energy(e.vector_pj), human_energy(e.static_pj),
               sram);
    fmt::print(out, "        {:.2f} TOPS/W, {:.3f} mJ per inference\n", r.tops_per_watt(),
               e.total_pj() / 1e9 / double(r.batch));
    fmt::print(out, "area:   {:.2f} mm2 = PEs {:.2f}, SRAM {:.2f}, vector {:.2f}, other {:.2f} (first-order model)\n",
               r.area.total_mm2(), r.area.pe_mm2, r.area.sram_mm2, r.area.vector_mm2, r.area.overhead_mm2);
    if (r.checked) fmt::print(out, "check: {} ({})\n", r.check_passed ? "PASS" : "FAIL", r.check_rule);
}

void print_tilings(std::ostream& out, const RunResult& r) {
    fmt::print(out,
               "\ntiling: per conv/fc layer, of the tilings that fit (tile shapes x output boxes x loop orders), the "
               "one moving the fewest DRAM bytes among those estimated within {:g}% of the fastest "
               "(memory.tiling_slack); estimate = max(array + exposed first load and last store, DRAM + one GEMM "
               "step, on-chip moves + one step)\n",
               100.0 * r.tiling_slack);
    fmt::print(out, "{:<24} {:<28} {:<7} {:>6} {:>4} {:>10} {:>10}  {}\n", "layer", "tile", "order", "tiles", "fit",
               "estimate", "simulated", "why");
    for (const LayerResult& l : r.layers) {
        const LayerTiling& t = l.tiling;
        if (t.tiles == 0) continue;
        fmt::print(out, "{:<24} {:<28} {:<7} {:>6} {:>4} {:>10} {:>10}  {}\n", l.name.substr(0, 24), t.shape, t.order,
                   t.tiles, t.fitting, t.estimated_cycles, l.occupied_cycles(), t.reason);
    }
}

}  // namespace npu

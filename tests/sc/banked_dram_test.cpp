// The banked DRAM model inside the NPU: a network runs functionally on a design whose DRAM is two
// LPDDR4-3200 channels (edge_32x32 with dram.model banked), with the memory planner and fusion
// on, its outputs bit-exact with the CPU reference, its commands counted per layer, its DRAM
// energy priced per operation, and its timing-only run giving the same cycles as the
// functional one.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/file_text.h"
#include "sc_helpers.h"
#include "test_designs.h"

using namespace npu;

namespace {

NpuConfig banked_edge() {
    const std::string text = read_file_or_throw<std::runtime_error>(test::arch_file("edge_32x32"));
    return parse_design(test::replace_once(text, "dram: {type: lpddr4, bandwidth_gbps: 12.8, channels: 1}",
                                           "dram: {type: lpddr4, model: banked, preset: lpddr4_3200, channels: 2}"),
                        "edge_banked.yaml", test::energy_dir());
}

int64_t total(const RunResult& r, const std::string& stat) {
    for (const CounterDump& d : r.stats)
        if (d.name == "npu.core0.dma." + stat) return d.total;
    FAIL("no stat " << stat);
    return 0;
}

}  // namespace

TEST_CASE("a banked DRAM under the NPU: bit-exact outputs, counted commands, per-operation energy", "[sc][dram]") {
    const NpuConfig c = banked_edge();
    REQUIRE(c.dram.bandwidth_gbps == Approx(12.8));
    const Graph g = test::model("lenet5");
    Simulation functional(c, SimulationOptions{});
    SimulationOptions timing_options;
    timing_options.functional = false;
    timing_options.instance_name = "timing";
    Simulation timing(c, timing_options);
    const RunResult r = functional.run(prepare_workload(g, Precision::Int8, true, 1));
    CHECK(r.checked);
    CHECK(r.check_passed);
    // With the memory planner and fusion on (the design's defaults): activations on chip, both
    // conv + average pool pairs fused.
    CHECK(r.residency);
    CHECK(r.resident_tensors > 0);
    CHECK(r.fused_tensors == 2);
    CHECK(timing.run(prepare_workload(g, Precision::Int8, false, 1)).cycles == r.cycles);
    // Every burst is a row hit, a miss or a conflict; rows open once per miss or conflict.
    const int64_t bursts = total(r, "dram_read_bursts") + total(r, "dram_write_bursts");
    CHECK(bursts >= (r.dram_read_bytes + r.dram_write_bytes) / 32);
    CHECK(total(r, "dram_row_hits") + total(r, "dram_row_misses") + total(r, "dram_row_conflicts") == bursts);
    CHECK(total(r, "dram_activates") == total(r, "dram_row_misses") + total(r, "dram_row_conflicts"));
    CHECK(total(r, "dram_row_hits") > total(r, "dram_activates"));  // streams mostly hit open rows
    const DramPreset& p = c.dram.preset;
    // Every bank of both channels has a busy time within the run; refresh ran every tREFI on
    // each channel for tRFC (the last one may fall due within one tREFI of the end).
    REQUIRE(r.dram.banked);
    CHECK(r.dram.bank_busy_ns.size() == size_t(2 * p.ranks * p.bank_groups * p.banks_per_group));
    CHECK(r.dram.bank_busy_max_ns <= r.time_ns());
    CHECK(r.dram.bank_busy_mean_ns > 0.0);
    CHECK(r.dram.bank_busy_mean_ns <= r.dram.bank_busy_max_ns);
    const double refreshes = r.dram.refresh_ns / (double(p.rfc) * p.tck_ns);
    CHECK(refreshes == Approx(std::round(refreshes)));
    const double due = 2.0 * std::floor(r.time_ns() / (double(p.refi) * p.tck_ns));
    CHECK(refreshes >= due - 2.0);
    CHECK(refreshes <= due + 2.0);
    CHECK(r.dram.achieved_gbps == Approx(double(r.dram_read_bytes + r.dram_write_bytes) / r.time_ns()));
    CHECK(r.energy.dram_pj ==
          Approx(double(total(r, "dram_activates")) * p.act_pj + double(total(r, "dram_read_bursts")) * p.read_pj +
                 double(total(r, "dram_write_bursts")) * p.write_pj +
                 double(total(r, "dram_refreshes")) * p.refresh_pj));
}

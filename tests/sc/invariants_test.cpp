#include <catch2/catch.hpp>

#include <cstdlib>

#include "sc_helpers.h"
#include "workloads/zoo.h"

using namespace npu;

namespace {

// For every zoo model on one design (timing only): the simulated MACs are the workload's, DRAM
// traffic is at least the compulsory traffic, cycles are at least MACs / PEs, and utilization
// never exceeds 100%, per layer and in total.
void check_invariants(const std::string& design_name) {
    const NpuConfig c = test::design(design_name);
    SimulationOptions options;
    options.functional = false;
    Simulation sim(c, options);
    const double pes = double(c.rows * c.cols);
    for (const std::string& name : zoo_names(test::models_dir())) {
        INFO(design_name << " " << name);
        const Graph g = test::model(name);
        const PreparedWorkload w = prepare_workload(g, c.precisions.front(), false, 1);
        const RunResult r = sim.run(w);
        CHECK(r.macs == total_macs(g));
        CHECK(r.dram_read_bytes + r.dram_write_bytes >= r.compulsory_dram_bytes);
        CHECK(double(r.cycles) >= double(r.macs) / pes);
        CHECK(r.utilization() <= 1.0);
        CHECK(r.achieved_tops() <= c.peak_tops() * (1 + 1e-9));
        // Per layer: the array cannot do a layer's MACs faster than all PEs at once, and no block
        // is busy for longer than the time since the program started. Each layer's cycles are
        // its time since the previous layer's end, rounded: on designs whose DRAM latency is not
        // a whole number of cycles the sum drifts from the rounded end, by at most half a cycle
        // per layer (README, Known simplifications).
        for (const LayerResult& l : r.layers) {
            INFO(l.name);
            CHECK(double(l.occupied_cycles()) * pes >= double(l.macs));
            CHECK(l.compute_cycles <= c.clock().cycles(l.end_ns));
        }
        const int64_t drift = r.cycles - c.clock().cycles(r.layers.back().end_ns);
        CHECK(2 * std::abs(drift) <= int64_t(r.layers.size()));
        // The array's busy time is the compute time of the layers it runs.
        int64_t array_busy = 0;
        for (const LayerResult& l : r.layers)
            if (l.unit == "array") array_busy += l.compute_cycles;
        int64_t counter_busy = -1;
        for (const CounterDump& d : r.stats)
            if (d.name == "npu.core0.systolic_array.busy_cycles") counter_busy = d.total;
        CHECK(array_busy == counter_busy);
    }
}

}  // namespace

TEST_CASE("invariants on the TPU v1-like design", "[sc][invariants]") { check_invariants("tpu_v1"); }
TEST_CASE("invariants on the Eyeriss-like design (os)", "[sc][invariants]") { check_invariants("eyeriss"); }
TEST_CASE("invariants on the edge design (separate buffers)", "[sc][invariants]") { check_invariants("edge_32x32"); }
TEST_CASE("invariants on the Tesla-FSD-like design (os)", "[sc][invariants]") { check_invariants("tesla_fsd"); }

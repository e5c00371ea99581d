#include <catch2/catch.hpp>

#include <regex>

#include "sc_helpers.h"

using namespace npu;

TEST_CASE("timing-only and functional runs give identical cycles", "[sc][timing]") {
    const NpuConfig c = test::design("edge_32x32");
    SimulationOptions timing;
    timing.functional = false;
    timing.instance_name = "timing_npu";
    SimulationOptions functional;
    functional.instance_name = "functional_npu";
    functional.check = false;
    Simulation a(c, timing), b(c, functional);  // both elaborated before the first run
    const Graph g = test::model("resnet18", 1, 64);
    const RunResult ra = a.run(prepare_workload(g, Precision::Int8, false, 1));
    const RunResult rb = b.run(prepare_workload(g, Precision::Int8, true, 1));
    REQUIRE(ra.layers.size() == rb.layers.size());
    for (size_t i = 0; i < ra.layers.size(); ++i) {
        INFO(ra.layers[i].name);
        CHECK(ra.layers[i].cycles == rb.layers[i].cycles);
        CHECK(ra.layers[i].dram_read_bytes == rb.layers[i].dram_read_bytes);
    }
    CHECK(ra.cycles == rb.cycles);
}

TEST_CASE("a second run on the same simulation gives the same result", "[sc][timing]") {
    SimulationOptions o;
    o.functional = false;
    Simulation sim(test::design("gemmini"), o);
    const PreparedWorkload w = prepare_workload(test::model("resnet18"), Precision::Int8, false, 1);
    const RunResult first = sim.run(w);
    const RunResult second = sim.run(w);
    CHECK(first.cycles == second.cycles);
    CHECK(first.dram_read_bytes == second.dram_read_bytes);
    CHECK(first.dram_write_bytes == second.dram_write_bytes);
    // Exactly the same, not approximately: nothing of the first run may leak into the second.
    CHECK(first.energy.total_pj() == second.energy.total_pj());
    REQUIRE(first.layers.size() == second.layers.size());
    for (size_t i = 0; i < first.layers.size(); ++i) {
        INFO(first.layers[i].name);
        CHECK(first.layers[i].cycles == second.layers[i].cycles);
        CHECK(first.layers[i].compute_cycles == second.layers[i].compute_cycles);
        // Simulated time goes on between the runs: compare each layer's end in whole cycles.
        const Clock clock{first.clock_mhz};
        CHECK(clock.cycles(first.layers[i].end_ns) == clock.cycles(second.layers[i].end_ns));
        CHECK(first.layers[i].sram_read_bytes == second.layers[i].sram_read_bytes);
        CHECK(first.layers[i].accumulator_writes == second.layers[i].accumulator_writes);
    }
}

namespace {

// Three independent loads, then a GEMM that depends on none of them, dispatched in that order.
isa::Program loads_then_gemm() {
    isa::Program p;
    p.layers = 2;
    p.dram_bytes = 4096;
    for (int i = 0; i < 3; ++i) {
        isa::Instruction load;
        load.queue = isa::Queue::Load;
        load.layer = 1;
        isa::Transfer t;
        t.dram.extent = {1, 1, 1, 1024};
        t.dram.dims = {1, 1, 1, 1024};
        t.sram = {isa::Buffer::Unified, 0, 1024};
        load.body = t;
        p.instructions.push_back(load);
    }
    isa::Instruction gemm;
    gemm.queue = isa::Queue::Array;
    gemm.layer = 1;
    gemm.body = isa::Gemm{};
    p.instructions.push_back(gemm);
    return p;
}

double array_start_ns(const Simulation& sim) {
    for (const TraceEvent& e : sim.trace().events())
        if (e.unit == isa::Queue::Array) return e.start_ns;
    return -1.0;
}

}  // namespace

TEST_CASE("the instruction queue depth back-pressures dispatch", "[sc][timing]") {
    NpuConfig deep = test::design("tiny_4x4"), shallow = deep;
    shallow.queue_depth = 1;
    SimulationOptions a, b;
    a.functional = b.functional = false;
    a.trace = b.trace = true;
    a.instance_name = "deep";
    b.instance_name = "shallow";
    Simulation sa(deep, a), sb(shallow, b);  // both elaborated before the first run
    const isa::Program p = loads_then_gemm();
    const double start_a = sa.execute(p);
    const double deep_ns = array_start_ns(sa) - start_a;
    const double start_b = sb.execute(p);
    const double shallow_ns = array_start_ns(sb) - start_b;
    // With room for all three loads the GEMM is dispatched at once; with one entry the
    // controller waits at the third load until the first has finished: 1024 bytes in 64-byte
    // bursts at 1.6 GB/s (640 ns) plus 100 ns latency on tiny_4x4.
    CHECK(deep_ns == 0.0);
    CHECK(shallow_ns == Approx(740.0));
}

TEST_CASE("memory stalls are counted: slower DRAM adds stall cycles", "[sc][timing]") {
    NpuConfig fast = test::design("tpu_v1");
    NpuConfig slow = fast;
    fast.dram.bandwidth_gbps = 3400;
    slow.dram.bandwidth_gbps = 3.4;
    SimulationOptions a, b;
    a.functional = b.functional = false;
    a.instance_name = "fast";
    b.instance_name = "slow";
    Simulation fast_sim(fast, a), slow_sim(slow, b);
    const PreparedWorkload w = prepare_workload(test::model("resnet18"), Precision::Int8, false, 1);
    const RunResult rf = fast_sim.run(w), rs = slow_sim.run(w);
    // The compiler may pick other tiles for other bandwidths, so compute cycles can differ too.
    CHECK(rs.stall_cycles > 10 * rf.stall_cycles);
    // With 3.4 GB/s the run takes at least the DRAM bytes over the bandwidth.
    const double dram_ns = double(rs.dram_read_bytes + rs.dram_write_bytes) / 3.4;
    CHECK(rs.time_ns() >= dram_ns);
}

TEST_CASE("double buffering overlaps loads with array work", "[sc][timing]") {
    SimulationOptions o;
    o.functional = false;
    o.trace = true;
    Simulation sim(test::design("gemmini"), o);
    const RunResult r = sim.run(prepare_workload(test::model("resnet18"), Precision::Int8, false, 1));
    double overlap_ns = 0.0, array_ns = 0.0;
    std::vector<TraceEvent> loads, arrays;
    for (const TraceEvent& e : sim.trace().events()) {
        if (e.unit == isa::Queue::Load) loads.push_back(e);
        if (e.unit == isa::Queue::Array) arrays.push_back(e);
    }
    // Both lists are in time order per unit; sweep them.
    size_t j = 0;
    for (const TraceEvent& a : arrays) {
        array_ns += a.end_ns - a.start_ns;
        while (j < loads.size() && loads[j].end_ns <= a.start_ns) ++j;
        for (size_t k = j; k < loads.size() && loads[k].start_ns < a.end_ns; ++k)
            overlap_ns += std::min(a.end_ns, loads[k].end_ns) - std::max(a.start_ns, loads[k].start_ns);
    }
    CHECK(r.instructions > 100);
    CHECK(overlap_ns > 0.1 * array_ns);
}

namespace {

// Runs the same workload at both fidelities in one elaboration and requires identical cycles
// (per layer) and identical outputs.
void require_fidelities_agree(NpuConfig c, Dataflow dataflow, const Graph& g, Precision p) {
    c.dataflow = dataflow;
    SimulationOptions fast, detailed;
    fast.instance_name = "fast";
    detailed.instance_name = "detailed";
    detailed.fidelity = Fidelity::Detailed;
    Simulation a(c, fast), b(c, detailed);
    const PreparedWorkload w = prepare_workload(g, p, true, 5);
    const RunResult ra = a.run(w), rb = b.run(w);
    REQUIRE(rb.check_passed);
    for (size_t i = 0; i < ra.layers.size(); ++i) {
        INFO(ra.layers[i].name);
        CHECK(ra.layers[i].cycles == rb.layers[i].cycles);
        CHECK(ra.layers[i].compute_cycles == rb.layers[i].compute_cycles);
        const int index = ra.layers[i].graph_index;
        CHECK(a.layer_output(w.model.graph, index).bytes == b.layer_output(w.model.graph, index).bytes);
    }
}

}  // namespace

TEST_CASE("fast and detailed fidelity agree on ResNet-18 (ws, int8)", "[sc][fidelity]") {
    require_fidelities_agree(test::design("tiny_4x4"), Dataflow::WeightStationary, test::model("resnet18", 2, 32),
                             Precision::Int8);
}

TEST_CASE("fast and detailed fidelity agree on ResNet-18 (os, int8)", "[sc][fidelity]") {
    require_fidelities_agree(test::design("tiny_4x4"), Dataflow::OutputStationary, test::model("resnet18", 1, 32),
                             Precision::Int8);
}

TEST_CASE("fast and detailed fidelity agree on ResNet-18 (is, int8)", "[sc][fidelity]") {
    require_fidelities_agree(test::design("tiny_4x4"), Dataflow::InputStationary, test::model("resnet18", 1, 32),
                             Precision::Int8);
}

TEST_CASE("fast and detailed fidelity agree on MobileNetV2 (ws, fp16)", "[sc][fidelity]") {
    require_fidelities_agree(test::design("tiny_4x4"), Dataflow::WeightStationary, test::model("mobilenetv2", 1, 32),
                             Precision::Fp16);
}

// One elaboration per process: os and is are two test cases.
TEST_CASE("fast and detailed fidelity agree on LeNet-5 (os, fp16)", "[sc][fidelity]") {
    require_fidelities_agree(test::design("tiny_4x4"), Dataflow::OutputStationary, test::model("lenet5", 2),
                             Precision::Fp16);
}

TEST_CASE("fast and detailed fidelity agree on LeNet-5 (is, fp16)", "[sc][fidelity]") {
    require_fidelities_agree(test::design("tiny_4x4"), Dataflow::InputStationary, test::model("lenet5", 2),
                             Precision::Fp16);
}

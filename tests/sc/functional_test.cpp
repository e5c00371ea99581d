#include <catch2/catch.hpp>

#include <cstring>

#include "arch/npu_system.h"
#include "kernels/cpu/cpu_backend.h"
#include "sc_helpers.h"

using namespace npu;

TEST_CASE("seed example: a 3x3 kernel over a 5x5 image gives 6 first, bit-exact", "[sc][functional]") {
    Simulation sim(test::design("tiny_4x4"), SimulationOptions{});
    const PreparedWorkload w = prepare_workload(test::model("seed"), Precision::Int8, true, 1);
    // Integer data keeps scale 1: the int8 values are the real values.
    REQUIRE(w.model.layers[0].out_scale == 1.0f);
    REQUIRE(w.model.layers[1].out_scale == 1.0f);
    const RunResult r = sim.run(w);
    REQUIRE(r.check_passed);
    const HostTensor out = sim.layer_output(w.model.graph, 1);
    REQUIRE(out.shape == Shape{1, 1, 3, 3});
    // Hand-computed 3x3 output of the image and kernel in workloads/models/seed.yaml.
    const int expected[9] = {6, 7, 5, 8, 4, 7, 6, 8, 5};
    CHECK(out.int8()[0] == 6);
    for (int i = 0; i < 9; ++i) CHECK(int(out.int8()[i]) == expected[i]);
    CHECK(r.macs == 81);
    // Timing on tiny_4x4 (100 MHz, DRAM 1.6 GB/s, 64 B bursts = 40 ns, latency 100 ns):
    //   load input 0-140 ns, load weights 140-280, load channel params 280-420;
    //   GEMM 280-680 (40 cycles: preload 4 + 3 folds x 12); requantize 9 on 4 lanes 680-710;
    //   store 710-850 ns = 85 cycles.
    CHECK(r.cycles == 85);
    CHECK(r.layers[0].compute_cycles == 40);
}

namespace {

// Runs a model functionally and requires every layer to match the CPU reference (a conv fused
// with its residual add has no output of its own: the add after it is checked), and the final
// output to equal the reference's whole-network output (no per-layer resynchronization).
void require_bit_exact(const std::string& design, const Graph& g, Precision p) {
    SimulationOptions options;
    Simulation sim(test::design(design), options);
    const PreparedWorkload w = prepare_workload(g, p, true, 1234);
    const RunResult r = sim.run(w);
    for (const LayerResult& l : r.layers) {
        INFO(l.name);
        CHECK(l.checked == (l.output_home != "fused"));
        CHECK(l.mismatches == 0);
    }
    REQUIRE(r.check_passed);
    const std::vector<HostTensor> reference = run_reference(w.model);
    const int last = int(w.model.graph.layers.size()) - 1;
    const HostTensor out = sim.layer_output(w.model.graph, last);
    if (p == Precision::Int8) REQUIRE(out.bytes == reference[size_t(last)].bytes);
}

}  // namespace

TEST_CASE("LeNet-5 INT8 is bit-exact against the CPU reference (batch 3)", "[sc][functional]") {
    require_bit_exact("edge_32x32", test::model("lenet5", 3), Precision::Int8);
}

TEST_CASE("reduced-resolution ResNet-18 INT8 is bit-exact on a WS design", "[sc][functional]") {
    require_bit_exact("tpu_v1", test::model("resnet18", 1, 64), Precision::Int8);
}

TEST_CASE("reduced-resolution ResNet-18 INT8 is bit-exact on an OS design with a small buffer", "[sc][functional]") {
    require_bit_exact("eyeriss", test::model("resnet18", 2, 48), Precision::Int8);
}

TEST_CASE("MobileNetV2 (depthwise) INT8 is bit-exact at reduced resolution", "[sc][functional]") {
    require_bit_exact("gemmini", test::model("mobilenetv2", 1, 64), Precision::Int8);
}

TEST_CASE("ResNet-18 FP16 agrees with the CPU reference within the stated tolerance", "[sc][functional]") {
    require_bit_exact("train_128_fp16", test::model("resnet18", 2, 64), Precision::Fp16);
}

TEST_CASE("LeNet-5 FP16 on the 4x4 teaching array", "[sc][functional]") {
    require_bit_exact("tiny_4x4", test::model("lenet5"), Precision::Fp16);
}

TEST_CASE("every layer type (clip, concat, reshape, softmax on an axis, standalone batchnorm) in FP32",
          "[sc][functional]") {
    Graph g = load_model_file(test::source_dir() + "/tests/data/models/ops_mix.yaml");
    reshape_input(g, 2);
    require_bit_exact("tiny_4x4", g, Precision::Fp32);
}

TEST_CASE("every layer type in FP16", "[sc][functional]") {
    require_bit_exact("train_128_fp16", load_model_file(test::source_dir() + "/tests/data/models/ops_mix.yaml"),
                      Precision::Fp16);
}

TEST_CASE("ResNet-18 BF16 agrees with the CPU reference within the stated tolerance", "[sc][functional][bf16]") {
    require_bit_exact("train_128_fp16", test::model("resnet18", 2, 64), Precision::Bf16);
}

TEST_CASE("every layer type in BF16", "[sc][functional][bf16]") {
    require_bit_exact("train_128_fp16", load_model_file(test::source_dir() + "/tests/data/models/ops_mix.yaml"),
                      Precision::Bf16);
}

TEST_CASE("every layer type in INT8 (concat rescales inputs of different scales)", "[sc][functional]") {
    Graph g = load_model_file(test::source_dir() + "/tests/data/models/ops_mix_int8.yaml");
    reshape_input(g, 3);
    require_bit_exact("eyeriss", g, Precision::Int8);
}

TEST_CASE("ShuffleNetV2 units (slice, concat, channel shuffle) in INT8, bit-exact (batch 2)", "[sc][functional]") {
    Graph g = load_model_file(test::source_dir() + "/tests/data/models/shuffle_units.yaml");
    reshape_input(g, 2);
    require_bit_exact("eyeriss", g, Precision::Int8);
}

TEST_CASE("ShuffleNetV2 units in BF16", "[sc][functional][bf16]") {
    require_bit_exact("train_128_fp16", load_model_file(test::source_dir() + "/tests/data/models/shuffle_units.yaml"),
                      Precision::Bf16);
}

// One simulation per test case (SystemC elaborates once per process).
TEST_CASE("ConvNeXt units (layer norm, GELU, a folded layer scale) in INT8, bit-exact (batch 2)", "[sc][functional]") {
    Graph g = load_model_file(test::source_dir() + "/tests/data/models/convnext_units.yaml");
    reshape_input(g, 2);
    require_bit_exact("eyeriss", g, Precision::Int8);
}

TEST_CASE("ConvNeXt units in INT8 on a design with an ifmap buffer", "[sc][functional]") {
    require_bit_exact("edge_32x32", load_model_file(test::source_dir() + "/tests/data/models/convnext_units.yaml"),
                      Precision::Int8);
}

TEST_CASE("ConvNeXt units in FP16", "[sc][functional]") {
    require_bit_exact("train_128_fp16", load_model_file(test::source_dir() + "/tests/data/models/convnext_units.yaml"),
                      Precision::Fp16);
}

TEST_CASE("ConvNeXt units in BF16", "[sc][functional][bf16]") {
    require_bit_exact("train_128_fp16", load_model_file(test::source_dir() + "/tests/data/models/convnext_units.yaml"),
                      Precision::Bf16);
}

TEST_CASE("ResNet-18 FP32 at reduced resolution", "[sc][functional]") {
    require_bit_exact("train_128_fp16", test::model("resnet18", 1, 64), Precision::Fp32);
}

TEST_CASE("the check finds one wrong byte, with or without the calibration's reference outputs", "[sc][functional]") {
    SimulationOptions options;
    Simulation sim(test::design("edge_32x32"), options);
    PreparedWorkload w = prepare_workload(test::model("lenet5"), Precision::Int8, true, 7);
    REQUIRE(w.model.calibration_outputs.size() == w.model.graph.layers.size());
    RunResult clean = sim.run(w);
    REQUIRE(clean.check_passed);
    // Change one output byte of s4 (a pool whose output is stored, read by the conv c5) in the
    // NPU's DRAM, then judge the run again.
    const CompiledModel& compiled = sim.last_compiled();
    const int wrong = 4;
    REQUIRE(w.model.graph.layers[size_t(wrong)].name == "s4");
    const uint64_t address = compiled.dram.output_address[size_t(wrong)];
    std::vector<uint8_t> byte = sim.read_dram(address, 1);
    byte[0] = byte[0] == 0x7F ? 0x00 : 0x7F;  // the largest int8 value (or 0 if it was that)
    sim.write_dram(address, byte);
    const auto judge = [&](const PreparedWorkload& workload) {
        RunResult r = clean;
        for (LayerResult& l : r.layers) l.mismatches = 0;
        sim.check(workload, compiled, r);
        return r;
    };
    const RunResult reused = judge(w);
    PreparedWorkload recomputed_w = w;
    recomputed_w.model.calibration_outputs.clear();  // every reference output computed again
    const RunResult recomputed = judge(recomputed_w);
    CHECK_FALSE(reused.check_passed);
    CHECK_FALSE(recomputed.check_passed);
    REQUIRE(reused.layers.size() == recomputed.layers.size());
    for (size_t i = 0; i < reused.layers.size(); ++i) {
        INFO(reused.layers[i].name);
        CHECK(reused.layers[i].mismatches == recomputed.layers[i].mismatches);
        if (reused.layers[i].graph_index < wrong) CHECK(reused.layers[i].mismatches == 0);
        if (reused.layers[i].graph_index == wrong) CHECK(reused.layers[i].mismatches == 1);
        // Its reader is judged on the wrong input, which a stale reference output would hide.
        if (reused.layers[i].graph_index == wrong + 1) CHECK(recomputed.layers[i].mismatches > 0);
    }
}

TEST_CASE("tensors persist in DRAM across programs (the Simulation API a training driver uses)", "[sc][functional]") {
    Simulation sim(test::design("edge_32x32"), SimulationOptions{});
    const PreparedWorkload first = prepare_workload(test::model("lenet5"), Precision::Int8, true, 11);
    const PreparedWorkload second = prepare_workload(test::model("seed"), Precision::Int8, true, 12);
    const int first_out = int(first.model.graph.layers.size()) - 1;
    const CompiledModel a = sim.compile(first);
    CHECK(a.dram.base_address == 0);
    sim.load(first.model, a);
    RunResult ra = sim.collect(first, a, sim.execute(a.program));
    sim.check(first, a, ra);
    REQUIRE(ra.check_passed);
    const HostTensor kept = sim.read_tensor(a, first.model.graph, first_out);
    // The second program is placed after the first one's tensors and runs without touching them.
    const CompiledModel b = sim.compile(second);
    CHECK(b.dram.base_address == a.dram.total_bytes);
    CHECK(b.dram.output_address[1] >= a.dram.total_bytes);
    sim.load(second.model, b);
    RunResult rb = sim.collect(second, b, sim.execute(b.program));
    sim.check(second, b, rb);
    REQUIRE(rb.check_passed);
    CHECK(rb.cycles == rb.layers[0].cycles);  // one layer: the total is its cycles
    CHECK(sim.read_tensor(b, second.model.graph, 1).int8()[0] == 6);
    CHECK(sim.read_tensor(a, first.model.graph, first_out).bytes == kept.bytes);
    // The first model's weights are still in place: running its program again gives the same outputs.
    sim.collect(first, a, sim.execute(a.program));
    CHECK(sim.read_tensor(a, first.model.graph, first_out).bytes == kept.bytes);
    // Raw access round-trips; reads past the end are refused.
    const uint64_t scratch = b.dram.total_bytes - 64;
    sim.write_dram(scratch, {1, 2, 3});
    CHECK(sim.read_dram(scratch, 3) == std::vector<uint8_t>{1, 2, 3});
    CHECK_THROWS_AS(sim.read_dram(b.dram.total_bytes, 1u << 30), std::logic_error);
    // run() starts a fresh placement.
    sim.run(second);
    CHECK(sim.last_compiled().dram.base_address == 0);
}

TEST_CASE("one elaborated NPU runs INT8, FP16 and FP32 programs: precision is per instruction", "[sc][functional]") {
    // tiny_4x4 lists all three precisions; the accumulator holds int32 or fp32 words as each
    // GEMM needs, and the vector unit serves each instruction in its own precision.
    Simulation sim(test::design("tiny_4x4"), SimulationOptions{});
    const Graph g = test::model("lenet5");
    std::vector<CompiledModel> programs;
    std::vector<PreparedWorkload> workloads;
    for (Precision p : {Precision::Int8, Precision::Fp16, Precision::Fp32}) {
        workloads.push_back(prepare_workload(g, p, true, 21));
        programs.push_back(sim.compile(workloads.back()));
        for (const isa::Instruction& in : programs.back().program.instructions) {
            if (in.queue == isa::Queue::Array) CHECK(in.gemm().precision == p);
            if (in.queue == isa::Queue::Vector) CHECK(in.vector().precision == p);
        }
        sim.load(workloads.back().model, programs.back());
    }
    // Interleaved on the same hardware, each checked against the CPU reference afterwards.
    for (size_t k : {size_t(1), size_t(0), size_t(2)}) {
        RunResult r = sim.collect(workloads[k], programs[k], sim.execute(programs[k].program));
        sim.check(workloads[k], programs[k], r);
        INFO(r.precision);
        CHECK(r.check_passed);
        CHECK(r.precision == precision_name(workloads[k].model.precision));
    }
}

TEST_CASE("an NPU system of two cores shares one DRAM; each core counts under its own name", "[sc][system]") {
    const NpuConfig c = test::design("tiny_4x4");
    StatsRegistry stats;
    NpuSystem system("chip", c, 2, Fidelity::Fast, true, stats, nullptr);
    for (const char* name : {"chip.core0.systolic_array.macs", "chip.core1.systolic_array.macs",
                             "chip.core0.dma.dram_read_bytes", "chip.core1.dma.dram_read_bytes"})
        CHECK(stats.has(name));
    const PreparedWorkload w = prepare_workload(test::model("seed"), Precision::Int8, true, 1);
    const CompiledModel compiled = compile(w.model.graph, w.model.layers, c, Precision::Int8);
    system.dram.prepare(compiled.dram.total_bytes);
    const std::vector<uint8_t> image = dram_image(w.model, compiled.dram);
    std::memcpy(system.dram.backing(), image.data(), image.size());
    // The program runs on core 1 through the memory port; core 0 stays idle.
    system.start(compiled.program, 1);
    sc_core::sc_start();
    REQUIRE(system.core(1).scoreboard.all_done());
    CHECK(stats.at("chip.core1.systolic_array.macs").total() == 81);
    CHECK(stats.at("chip.core0.systolic_array.macs").total() == 0);
    CHECK(stats.at("chip.core1.dma.dram_write_bytes").total() == 9);
    const int8_t first = int8_t(system.dram.backing()[compiled.dram.output_address[1]]);
    CHECK(first == 6);
}

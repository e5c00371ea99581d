// The memory planner inside the NPU: activations kept on chip and convs fused with their
// residual adds or pools give the same outputs bit for bit as the run that moves every tensor through
// DRAM, the same cycles timing-only as functional,
// and on the TPU v1-like design ResNet-50 moves little more than its weights through DRAM.
#include <catch2/catch.hpp>

#include "sc_helpers.h"

using namespace npu;

namespace {

// The memory planner on (residency and fusion) or off (every tensor through DRAM, no fusion).
NpuConfig with_residency(const std::string& design, bool residency) {
    NpuConfig c = test::design(design);
    c.memory.residency = residency;
    c.memory.fusion = residency;
    return c;
}

// Runs `model` functionally with residency off and on (one process: distinct instance names)
// and checks what both runs must share.
// `fused`: the conv outputs handed to the layer after them.
void compare_modes(const std::string& design, const std::string& model, Precision precision, int64_t fused,
                   int64_t input_size = 0) {
    const Graph g = test::model(model, 1, input_size);
    SimulationOptions off_options;
    off_options.instance_name = "off";
    Simulation off(with_residency(design, false), off_options);
    Simulation on(with_residency(design, true), SimulationOptions{});
    SimulationOptions timing_options;
    timing_options.functional = false;
    timing_options.instance_name = "timing";
    Simulation timing(with_residency(design, true), timing_options);

    const PreparedWorkload w = prepare_workload(g, precision, true, 1);
    const RunResult a = off.run(w);
    const RunResult b = on.run(w);
    CHECK(a.check_passed);
    CHECK(b.check_passed);  // every layer against the CPU reference, on the NPU's own inputs
    const int last = int(w.model.graph.layers.size()) - 1;
    CHECK(off.read_tensor(off.last_compiled(), w.model.graph, last).bytes ==
          on.read_tensor(on.last_compiled(), w.model.graph, last).bytes);
    CHECK_FALSE(a.residency);
    CHECK(b.residency);
    CHECK(a.resident_tensors == 0);
    CHECK(a.fused_tensors == 0);
    CHECK(b.resident_tensors > 0);
    CHECK(b.fused_tensors == fused);
    CHECK(b.onchip_read_bytes > 0);
    CHECK(b.dram_read_bytes + b.dram_write_bytes < a.dram_read_bytes + a.dram_write_bytes);
    CHECK(timing.run(prepare_workload(g, precision, false, 1)).cycles == b.cycles);
}

}  // namespace

TEST_CASE("residency on the TPU v1-like design: bit-exact ResNet-8 and the same cycles timing-only",
          "[sc][residency]") {
    compare_modes("tpu_v1", "resnet8", Precision::Int8, 3);  // ResNet-8's three residual adds
}

TEST_CASE("residency in a design with separate ifmap and output buffers: bit-exact", "[sc][residency]") {
    compare_modes("edge_32x32", "resnet8", Precision::Int8, 3);
}

TEST_CASE("residency in FP16: the same outputs bit for bit as through DRAM", "[sc][residency]") {
    compare_modes("train_128_fp16", "resnet8", Precision::Fp16, 3);
}

TEST_CASE("conv + pool fusion: bit-exact LeNet-5 with both 2x2 average pools fused", "[sc][residency]") {
    compare_modes("edge_32x32", "lenet5", Precision::Int8, 2);
}

// VGG-16's five 2x2 max pools at 36x36: the third pool's 9x9 input drops its last row and
// column, and tiny_4x4's tiles cut the convs' outputs at multiples of 2 (three of the five
// fuse; the other two would need smaller tiles).
TEST_CASE("conv + pool fusion: bit-exact VGG-16 at an odd size in small tiles", "[sc][residency]") {
    compare_modes("tiny_4x4", "vgg16", Precision::Int8, 3, 36);
}

TEST_CASE("conv + pool fusion in FP16: the same outputs bit for bit as through DRAM", "[sc][residency]") {
    compare_modes("train_128_fp16", "vgg16", Precision::Fp16, 5, 32);
}

TEST_CASE("TPU v1-like ResNet-50 batch 1 with residency moves at most 1.1x weights + input + output",
          "[sc][residency]") {
    const Graph g = test::model("resnet50");
    int64_t weights = 0;
    for (size_t i = 0; i < g.layers.size(); ++i) weights += layer_weights(g, int(i));
    const int64_t input = g.layers.front().output.elements();  // INT8: one byte each
    const int64_t output = g.layers.back().output.elements();
    SimulationOptions options;
    options.functional = false;
    Simulation sim(with_residency("tpu_v1", true), options);
    const RunResult r = sim.run(prepare_workload(g, Precision::Int8, false, 1));
    const int64_t moved = r.dram_read_bytes + r.dram_write_bytes;
    INFO("moved " << moved << " bytes; weights " << weights << ", input " << input << ", output " << output);
    CHECK(double(moved) <= 1.1 * double(weights + input + output));
    CHECK(r.dram_tensors == 2);    // the input and the output: every activation stays on chip
    CHECK(r.fused_tensors == 16);  // one conv per bottleneck block hands its tiles to the add
    CHECK(moved >= weights + input + output);
}

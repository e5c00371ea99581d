// The memory planner on hand-worked graphs: lifetimes, first-fit places from the buffer's top,
// reuse of a dead tensor's bytes, spills past the limit, and residency off.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/compiler/compiler.h"
#include "sim/compiler/conv_tiler.h"
#include "sim/compiler/fusion_plan.h"
#include "sim/compiler/residency_plan.h"
#include "sim/config/arch_loader.h"
#include "test_paths.h"
#include "workloads/model_loader.h"

using namespace npu;

namespace {

// tiny_4x4: one 16 KiB unified buffer.
NpuConfig tiny(double resident_fraction, bool residency = true) {
    NpuConfig c = load_design(test::arch_file("tiny_4x4"), test::energy_dir());
    c.memory.resident_fraction = resident_fraction;
    c.memory.residency = residency;
    return c;
}

// Every conv keeps 8 channels of 8 x 8 INT8 pixels: 512 bytes per activation.
Graph parse(const std::string& layers) {
    return parse_model_yaml("name: t\ninput: {channels: 4, height: 8, width: 8}\nlayers:\n" + layers, "t.yaml");
}

const char* kChain =
    "  - {name: c1, type: conv2d, filters: 8, kernel: 3, padding: 1}\n"
    "  - {name: c2, type: conv2d, filters: 8, kernel: 3, padding: 1}\n"
    "  - {name: c3, type: conv2d, filters: 8, kernel: 3, padding: 1}\n"
    "  - {name: c4, type: conv2d, filters: 8, kernel: 3, padding: 1}\n";

const char* kResidual =
    "  - {name: c1, type: conv2d, filters: 8, kernel: 3, padding: 1}\n"
    "  - {name: c2, type: conv2d, filters: 8, kernel: 3, padding: 1}\n"
    "  - {name: sum, type: add, inputs: [c2, c1]}\n"
    "  - {name: c3, type: conv2d, filters: 8, kernel: 3, padding: 1}\n";

ResidencyPlan plan(const Graph& g, const NpuConfig& c, const FusionPlan* fusion = nullptr) {
    DramAllocator dram;
    const DramPlan d = plan_dram(g, Precision::Int8, std::vector<QuantLayer>(g.layers.size()), dram);
    return plan_residency(g, d, c, {}, fusion);
}

}  // namespace

TEST_CASE("a chain reuses the place of a tensor after its last reader", "[compiler][residency]") {
    const Graph g = parse(kChain);
    const ResidencyPlan p = plan(g, tiny(0.5));
    REQUIRE(p.buffer == isa::Buffer::Unified);
    CHECK(p.capacity_bytes == 16384);
    CHECK(p.limit_bytes == 8192);
    // Lifetimes: c1 [1, 2], c2 [2, 3], c3 [3, 4]; c4 is the network's output.
    CHECK(p.last_use == std::vector<int32_t>{1, 2, 3, 4, -1});
    // c1 at the top (depth 0), c2 below it (both live at layer 2), c3 back at depth 0: c1 is dead.
    CHECK(p.offset == std::vector<int64_t>{-1, 16384 - 512, 16384 - 1024, 16384 - 512, -1});
    CHECK(p.overwrites[3] == std::vector<int32_t>{1});
    CHECK(p.overwrites[2].empty());
    CHECK(p.reserved_bytes == std::vector<int64_t>{0, 512, 1024, 1024, 512});
    CHECK(p.peak_bytes == 1024);
}

TEST_CASE("a residual branch keeps both operands of the add live", "[compiler][residency]") {
    const Graph g = parse(kResidual);
    const ResidencyPlan p = plan(g, tiny(0.5));
    // c1 [1, 3] (c2 and the add read it), c2 [2, 3], sum [3, 4]: three places at layer 3.
    CHECK(p.offset == std::vector<int64_t>{-1, 16384 - 512, 16384 - 1024, 16384 - 1536, -1});
    CHECK(p.reserved_bytes == std::vector<int64_t>{0, 512, 1024, 1536, 1536});
    CHECK(p.peak_bytes == 1536);
}

TEST_CASE("a tensor that does not fit next to the live ones goes through DRAM", "[compiler][residency]") {
    const Graph g = parse(kResidual);
    // 1/16 of 16 KiB: 1024 bytes, room for c1 and c2 but not for the sum beside them.
    const ResidencyPlan p = plan(g, tiny(1.0 / 16));
    CHECK(p.limit_bytes == 1024);
    CHECK(p.resident(1));
    CHECK(p.resident(2));
    CHECK_FALSE(p.resident(3));
    CHECK(p.reserved_bytes == std::vector<int64_t>{0, 512, 1024, 1024, 0});
}

TEST_CASE("residency off keeps every tensor in DRAM and reserves nothing", "[compiler][residency]") {
    const Graph g = parse(kResidual);
    const ResidencyPlan p = plan(g, tiny(0.5, false));
    for (size_t i = 0; i < g.layers.size(); ++i) CHECK_FALSE(p.resident(int(i)));
    CHECK(p.peak_bytes == 0);
    CHECK(p.limit_bytes == 0);
}

TEST_CASE("a compiled program stores resident tensors on chip and mirrors them in DRAM", "[compiler][residency]") {
    const Graph g = parse(kChain);
    const CompiledModel cm = compile(g, std::vector<QuantLayer>(g.layers.size()), tiny(0.5), Precision::Int8);
    REQUIRE(cm.program.resident.size() == 3);
    for (const isa::ResidentTensor& r : cm.program.resident) {
        CHECK(r.onchip_address == cm.residency.address(r.layer));
        CHECK(r.dram_address == cm.dram.output_address[size_t(r.layer)]);
        CHECK(r.bytes == 512);
    }
    int64_t onchip_stores = 0, dram_stores = 0;
    for (const isa::Instruction& in : cm.program.instructions)
        if (in.queue == isa::Queue::Store) ++(isa::is_onchip(in.transfer().dram.base) ? onchip_stores : dram_stores);
    CHECK(onchip_stores > 0);
    CHECK(dram_stores > 0);  // c4, the output
    // c3 reuses c1's place: each of its stores waits for the last load that read c1 (layer 2's).
    int32_t last_c1_load = -1;
    for (size_t i = 0; i < cm.program.instructions.size(); ++i) {
        const isa::Instruction& in = cm.program.instructions[i];
        if (in.queue == isa::Queue::Store && isa::is_onchip(in.transfer().dram.base)) CHECK(in.layer != 4);
        if (in.queue == isa::Queue::Load && in.transfer().dram.base == cm.residency.address(1))
            last_c1_load = int32_t(i);
        if (in.queue == isa::Queue::Store && in.layer == 3) {
            REQUIRE(last_c1_load >= 0);
            CHECK(std::find(in.deps.begin(), in.deps.end(), last_c1_load) != in.deps.end());
        }
    }
}

TEST_CASE("a conv fuses with the residual add right after it when the add is its only reader", "[compiler][fusion]") {
    const Graph g = parse(kResidual);
    const std::vector<QuantLayer> quant(g.layers.size());
    const FusionPlan f = plan_fusion(g, quant, tiny(0.5));
    // c2 (layer 2) feeds only the sum (layer 3); c1 is read by c2 as well; c3 has no add after it.
    CHECK(f.next_of == std::vector<int32_t>{-1, -1, 3, -1, -1});
    CHECK(f.into_conv == std::vector<int32_t>{-1, -1, -1, 2, -1});
    NpuConfig off = tiny(0.5);
    off.memory.fusion = false;
    CHECK(plan_fusion(g, quant, off).next_of == std::vector<int32_t>(g.layers.size(), -1));
    // An add that is not right after the conv, or that reads it twice, does not fuse.
    const Graph apart = parse(
        "  - {name: c1, type: conv2d, filters: 8, kernel: 3, padding: 1}\n"
        "  - {name: c2, type: conv2d, filters: 8, kernel: 3, padding: 1}\n"
        "  - {name: r, type: relu, inputs: [c1]}\n"
        "  - {name: sum, type: add, inputs: [c2, r]}\n"
        "  - {name: twice, type: add, inputs: [sum, sum]}\n");
    CHECK(plan_fusion(apart, std::vector<QuantLayer>(apart.layers.size()), tiny(0.5)).next_of ==
          std::vector<int32_t>(apart.layers.size(), -1));
}

TEST_CASE("a fused conv's output is never stored and the add's is written by the conv's tiles", "[compiler][fusion]") {
    const Graph g = parse(kResidual);
    const CompiledModel cm = compile(g, std::vector<QuantLayer>(g.layers.size()), tiny(0.5), Precision::Int8);
    REQUIRE(cm.fusion.fused_conv(2));
    // The planner keeps no place for c2, and the sum is written while layer 2 runs.
    CHECK_FALSE(cm.residency.resident(2));
    CHECK(cm.residency.first_def[3] == 2);
    int64_t add_vectors = 0, add_stores = 0;
    for (const isa::Instruction& in : cm.program.instructions) {
        if (in.queue == isa::Queue::Store) {
            const uint64_t base = in.transfer().dram.base;
            CHECK(base != cm.dram.output_address[2]);  // nothing of c2 reaches DRAM
            if (in.layer == 3) ++add_stores;
        }
        if (in.queue == isa::Queue::Vector && in.layer == 3) {
            CHECK(in.vector().op == isa::VectorOp::Add);
            ++add_vectors;
        }
    }
    CHECK(add_vectors > 0);
    CHECK(add_stores == add_vectors);  // one store per fused tile
}

TEST_CASE("a conv fuses with a pool whose windows stay inside tiles cut at its stride", "[compiler][fusion]") {
    // p2 (2x2 stride 2) fuses into c1; p4 pads and p6 overlaps (3x3 stride 2): their windows
    // cross any cut.
    const Graph g = parse(
        "  - {name: c1, type: conv2d, filters: 8, kernel: 3, padding: 1}\n"
        "  - {name: p2, type: maxpool, kernel: 2, stride: 2}\n"
        "  - {name: c3, type: conv2d, filters: 8, kernel: 3, padding: 1}\n"
        "  - {name: p4, type: avgpool, kernel: 2, stride: 2, padding: 1}\n"
        "  - {name: c5, type: conv2d, filters: 8, kernel: 3, padding: 1}\n"
        "  - {name: p6, type: maxpool, kernel: 3, stride: 2}\n");
    const std::vector<QuantLayer> quant(g.layers.size());
    const FusionPlan f = plan_fusion(g, quant, tiny(0.5));
    CHECK(f.next_of == std::vector<int32_t>{-1, 2, -1, -1, -1, -1, -1});
    CHECK(f.into_conv == std::vector<int32_t>{-1, -1, 1, -1, -1, -1, -1});

    // Compiled: nothing of c1 is stored; p2's tiles are stored by c1's, each a pooled box.
    const CompiledModel cm = compile(g, quant, tiny(0.5), Precision::Int8);
    REQUIRE(cm.fusion.fused_conv(1));
    CHECK(cm.residency.first_def[2] == 1);
    int64_t pooled_elements = 0;
    for (const isa::Instruction& in : cm.program.instructions) {
        if (in.queue == isa::Queue::Store) CHECK(in.layer != 1);
        if (in.queue == isa::Queue::Vector && in.layer == 2) {
            CHECK(in.vector().op == isa::VectorOp::MaxPool);
            const auto& e = in.vector().dst_extent;
            pooled_elements += e[0] * e[1] * e[2] * e[3];
        }
    }
    CHECK(pooled_elements == 8 * 4 * 4);  // every element of p2's output, once
}

TEST_CASE("a fused pool's strides cut the conv's output boxes", "[compiler][fusion][tiling]") {
    // VGG-16's first conv at 224x224 on a 16 KiB buffer: boxes of a few rows, all even.
    const NpuConfig c = tiny(0.5);
    ConvGeometry g;
    g.input = Shape{1, 3, 224, 224};
    g.output = Shape{1, 64, 224, 224};
    g.window.kernel_h = g.window.kernel_w = 3;
    g.window.pad_top = g.window.pad_left = g.window.pad_bottom = g.window.pad_right = 1;
    for (int64_t stride : {2, 3}) {
        TensorHomes homes;
        homes.pool = FusedPool{stride, stride, 64 * (224 / stride) * (224 / stride)};
        const TilingChoice choice = search_conv_tiling(g, c, Precision::Int8, 1, "conv1_1", homes);
        INFO(stride << ": " << choice.chosen.shape());
        CHECK(choice.chosen.rows < 224);
        CHECK(choice.chosen.rows % stride == 0);
        CHECK((choice.chosen.cols == 224 || choice.chosen.cols % stride == 0));
        // The pooled tile sits beside the conv's tile in the output slot.
        const ConvTiling& t = choice.chosen;
        const int64_t pooled =
            t.batch * t.filters * ((t.rows + stride - 1) / stride) * ((t.cols + stride - 1) / stride);
        CHECK(t.needs.slot_bytes[size_t(Operand::Output)] == t.m() * t.filters + pooled + t.filters * 12);
    }
}

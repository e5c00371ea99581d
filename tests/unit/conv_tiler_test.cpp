// The tile search (sim/compiler/conv_tiler.h): every tiling it picks fits, the estimate it picks
// by is the documented formula, and the choice follows the documented rule (the fastest within
// the design's memory.tiling_slack, then the smallest relative cycles + DRAM bytes), on
// hand-checked layers.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>

#include "arch/systolic_timing.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/conv_tiler.h"
#include "sim/config/arch_loader.h"
#include "test_paths.h"
#include "workloads/ir/float_model.h"
#include "workloads/model_loader.h"

using namespace npu;

namespace {

NpuConfig design(const std::string& name) { return load_design(test::arch_file(name), test::energy_dir()); }

ConvGeometry conv(Shape input, Shape output, int64_t kernel, int64_t stride = 1, int64_t pad = 0) {
    ConvGeometry g;
    g.input = input;
    g.output = output;
    g.window.kernel_h = g.window.kernel_w = kernel;
    g.window.stride_h = g.window.stride_w = stride;
    g.window.pad_top = g.window.pad_left = g.window.pad_bottom = g.window.pad_right = pad;
    return g;
}

// The estimate's formula (conv_tiler.h): the longest of the array's path with what it cannot
// hide, the DRAM's (its bytes, or either DMA channel's bytes and latencies) and the on-chip
// moves' busy time each plus the last GEMM step.
void check_estimate(const NpuConfig& c, const ConvTiling& t) {
    const BufferConfig& resident = c.ifmap.present() ? c.ifmap : c.unified;
    const int64_t array_path = t.array_cycles + t.exposed_cycles;
    const int64_t dram_cycles = int64_t(double(t.dram_bytes) / c.dram_bytes_per_cycle());
    const int64_t dram_path = std::max({dram_cycles, t.load_cycles, t.store_cycles}) + t.step_cycles;
    CHECK(t.load_cycles + t.store_cycles >= dram_cycles);
    const int64_t onchip_path = t.onchip_bytes / std::max<int64_t>(1, resident.bytes_per_cycle) + t.step_cycles;
    CHECK(t.estimated_cycles == std::max({array_path, dram_path, onchip_path}));
    const char* bound = t.estimated_cycles == array_path  ? "array"
                        : t.estimated_cycles == dram_path ? "dram"
                                                          : "onchip";
    CHECK(std::string(t.bound) == bound);
    CHECK(t.array_cycles % t.step_cycles == 0);
}

// The choice rule, against the runner-up and the slice's largest box.
void check_choice(const NpuConfig& c, const TilingChoice& choice) {
    const ConvTiling& t = choice.chosen;
    const int64_t fast_enough = choice.fastest_cycles + int64_t(c.memory.tiling_slack * double(choice.fastest_cycles));
    CHECK(t.estimated_cycles >= choice.fastest_cycles);
    CHECK(t.estimated_cycles <= fast_enough);
    const auto cost = [&](const ConvTiling& x) {
        return double(x.estimated_cycles) / double(choice.fastest_cycles) +
               double(x.dram_bytes) / double(std::max<int64_t>(1, choice.fastest_dram_bytes));
    };
    if (choice.has_runner_up) {
        const ConvTiling& r = choice.runner_up;
        if (r.estimated_cycles <= fast_enough)
            CHECK(cost(r) >= cost(t));
        else
            CHECK(r.estimated_cycles > t.estimated_cycles);
    }
    CHECK(t.box_halvings >= 0);
    CHECK(t.box_halvings <= 4);
    CHECK((t.box_halvings == 0) == (choice.largest.shape() == t.shape()));
    CHECK(choice.largest.m() >= t.m());
}

}  // namespace

TEST_CASE("conv tilings fit half of every buffer and follow the choice rule", "[compiler][tiling]") {
    for (const char* name : {"tpu_v1", "eyeriss", "gemmini", "edge_32x32", "tiny_4x4", "tesla_fsd"}) {
        const NpuConfig c = design(name);
        Graph g = load_model_file(test::model_file("resnet50"));
        g = inference_graph(g).graph;
        for (size_t i = 1; i < g.layers.size(); ++i) {
            const Layer& l = g.layers[i];
            if (l.kind != LayerKind::Conv2d && l.kind != LayerKind::FullyConnected) continue;
            INFO(name << " " << l.name);
            const ConvGeometry geo = ConvGeometry::from_layer(l, g.layers[size_t(l.inputs[0])].output);
            const TilingChoice choice = search_conv_tiling(geo, c, Precision::Int8, 1, l.name);
            const ConvTiling& t = choice.chosen;
            CHECK(fits(c, t.needs));
            CHECK(t.accumulator_entries <= c.accumulator.size_bytes / 4 / 2);
            CHECK(t.dram_bytes >= layer_weights(g, int(i)));
            CHECK(t.other_order_dram_bytes >= t.dram_bytes);
            check_estimate(c, t);
            check_choice(c, choice);
        }
    }
}

// A 1x1 conv of 4 channels into 4 filters over a 4x4 image: everything fits tiny_4x4's 16 KiB.
// The tiler weighs every split of channels and filters (4, 2, 1 each: 9 slices), each with its
// largest box (1x4x4) and the four halvings below it (1x2x4, 1x1x4, 1x1x2, 1x1x1).
TEST_CASE("the tiler says which tiling it chose and why", "[compiler][tiling]") {
    const NpuConfig c = design("tiny_4x4");
    const ConvGeometry g = conv(Shape{1, 4, 4, 4}, Shape{1, 4, 4, 4}, 1);
    const TilingChoice choice = search_conv_tiling(g, c, Precision::Int8, 1, "conv");
    const ConvTiling& t = choice.chosen;
    CHECK(choice.fitting == 45);
    CHECK(t.shape() == "g1 c4 f4 box 1x4x4");
    CHECK(t.tiles == 1);
    CHECK(t.box_halvings == 0);
    // Input 64 B, weights 16 B, output 64 B, 4 channels' parameters of 12 B: each once, each one
    // contiguous run, and each run pays on average a burst (64 B) less one element for its ends.
    CHECK(c.dram.burst_bytes == 64);
    CHECK(t.dram_bytes == 64 + 16 + 64 + 4 * 12 + 4 * 63);
    const int64_t gemm = gemm_cycles(c.dataflow, GemmDims{16, 4, 4}, ArrayShape{4, 4}).count();
    CHECK(t.step_cycles == gemm);
    CHECK(t.array_cycles == gemm);
    // 1.6 GB/s at 100 MHz: 16 B per cycle, and 100 ns (10 cycles) of latency per transfer.
    // Exposed: the input (4 + 10 cycles), the weights (1 + 10) and the parameters (3 + 10)
    // before the GEMM, the output (4 + 10) after it.
    CHECK(c.dram_bytes_per_cycle() == Approx(16.0));
    CHECK(c.dram.latency_ns == Approx(100.0));
    CHECK(t.exposed_cycles == 14 + 11 + 13 + 14);
    // The load channel: 317 B (the output's 64 + 63 are stored) and three latencies, 49 cycles;
    // the store channel: 127 B and one, 17. The array's path is longer.
    CHECK(t.load_cycles == 49);
    CHECK(t.store_cycles == 17);
    CHECK(t.estimated_cycles == gemm + 52);
    CHECK(std::string(t.bound) == "array");
    REQUIRE(choice.has_runner_up);
    CHECK(choice.runner_up.estimated_cycles > t.estimated_cycles);
    CHECK_THAT(choice.reason(), Catch::Matchers::StartsWith("array-bound; next best ") &&
                                    Catch::Matchers::Contains(choice.runner_up.shape()));

    // One channel, one filter, one pixel: nothing to choose.
    const TilingChoice only =
        search_conv_tiling(conv(Shape{1, 1, 1, 1}, Shape{1, 1, 1, 1}, 1), c, Precision::Int8, 1, "conv");
    CHECK(only.fitting == 1);
    CHECK_FALSE(only.has_runner_up);
    CHECK_THAT(only.reason(), Catch::Matchers::Contains("the only tiling that fits"));
}

// Outputs in many boxes, filters in many blocks, K in one tile: m-outer keeps each input box and
// reloads the weights per box, n-outer the reverse; the tiler keeps the one that moves less.
TEST_CASE("the tiler's loop order reloads the smaller operand", "[compiler][tiling]") {
    const NpuConfig c = design("tiny_4x4");
    const TilingChoice choice =
        search_conv_tiling(conv(Shape{1, 16, 32, 32}, Shape{1, 256, 32, 32}, 1), c, Precision::Int8, 1, "conv");
    const ConvTiling& t = choice.chosen;
    INFO(t.shape() << " " << t.order() << ": " << choice.reason());
    CHECK(t.tiles > 1);
    CHECK(t.other_order_dram_bytes > t.dram_bytes);
    CHECK_THAT(choice.reason(), Catch::Matchers::Contains(std::string(t.order()) + " saves " +
                                                          std::to_string(t.other_order_dram_bytes - t.dram_bytes)));
}

// Gemmini, a 3x3 conv of 4 channels into 4 filters over 32x32: the whole 30x30 output fits, but
// its first input box and last output tile are exposed (893 cycles with the weights and DRAM
// latencies) next to 2770 array cycles; two 15-row boxes expose 660 for a few halo rows more.
// (Simulated, the half box takes 3537 cycles, estimated 3500; the whole box 3791.)
TEST_CASE("the tiler halves the output box when its first load and last store cost more", "[compiler][tiling]") {
    const NpuConfig c = design("gemmini");
    const TilingChoice choice =
        search_conv_tiling(conv(Shape{1, 4, 32, 32}, Shape{1, 4, 30, 30}, 3), c, Precision::Int8, 1, "conv");
    const ConvTiling& t = choice.chosen;
    INFO(choice.reason());
    CHECK(t.shape() == "g1 c4 f4 box 1x15x30");
    CHECK(t.box_halvings == 1);
    CHECK(choice.largest.shape() == "g1 c4 f4 box 1x30x30");
    CHECK(choice.largest.exposed_cycles > t.exposed_cycles);
    CHECK(choice.largest.estimated_cycles > t.estimated_cycles);
    CHECK(choice.largest.dram_bytes > 0);
    CHECK_THAT(choice.reason(),
               Catch::Matchers::Contains("box halved 1x from 1x30x30 (that box: +") &&
                   Catch::Matchers::Contains(fmt::format("{} exposed load/store cycles vs {}",
                                                         choice.largest.exposed_cycles, t.exposed_cycles)));
    check_estimate(c, t);
    check_choice(c, choice);
}

// tiny_4x4, a 3x3 conv of 4 channels into 4 filters over 32x32: boxes of 2 output rows are
// estimated 1.8% faster than boxes of 4 (a shorter exposed first load and last store) but read
// each input row's halo twice as often, in twice as many short runs. Within the 3% slack the
// tiler keeps the 4-row boxes; with no slack it takes the faster ones.
TEST_CASE("the tiler trades a slack of estimated cycles for fewer DRAM bytes", "[compiler][tiling]") {
    NpuConfig c = design("tiny_4x4");
    const ConvGeometry g = conv(Shape{1, 4, 32, 32}, Shape{1, 4, 30, 30}, 3);
    const TilingChoice slack = search_conv_tiling(g, c, Precision::Int8, 1, "conv");
    INFO(slack.reason());
    REQUIRE(slack.has_runner_up);
    const ConvTiling &t = slack.chosen, &faster = slack.runner_up;
    CHECK(t.shape() == "g1 c4 f4 box 1x4x30");
    CHECK(faster.shape() == "g1 c4 f4 box 1x2x30");
    CHECK(faster.estimated_cycles < t.estimated_cycles);
    CHECK(faster.dram_bytes > t.dram_bytes);
    CHECK_THAT(slack.reason(),
               Catch::Matchers::Contains(fmt::format("{} -", faster.shape())) &&
                   Catch::Matchers::Contains(fmt::format("but {} more DRAM bytes", faster.dram_bytes - t.dram_bytes)));
    check_choice(c, slack);

    c.memory.tiling_slack = 0.0;
    const TilingChoice fastest = search_conv_tiling(g, c, Precision::Int8, 1, "conv");
    CHECK(fastest.chosen.shape() == faster.shape());
    CHECK(fastest.chosen.estimated_cycles == fastest.fastest_cycles);
    CHECK(fastest.chosen.dram_bytes == faster.dram_bytes);
    check_choice(c, fastest);
}

#include <catch2/catch.hpp>

#include <filesystem>

#include "arch/scalesim_timing.h"
#include "common/error.h"
#include "sim/config/scalesim_config.h"
#include "sim/runtime/scalesim_model.h"
#include "test_paths.h"
#include "test_skip.h"
#include "workloads/import/scalesim_topology.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

std::string data(const std::string& name) { return test::source_dir() + "/tests/data/scalesim/" + name; }

// The SCALE-Sim files shipped beside the project (../shared/scalesim), when present.
std::string shared(const std::string& name) { return test::source_dir() + "/../shared/scalesim/" + name; }

const Dataflow kWs = Dataflow::WeightStationary, kOs = Dataflow::OutputStationary, kIs = Dataflow::InputStationary;

int64_t network_cycles(const std::string& cfg, const std::string& csv) {
    const NpuConfig c = load_scalesim_config(cfg, test::energy_dir());
    return run_scalesim_model(topology_graph(load_scalesim_topology(csv)), c, Precision::Int8).cycles;
}

}  // namespace

TEST_CASE("SCALE-Sim conv topology: fields, strides, depthwise", "[scalesim][topology]") {
    const ScaleSimTopology t = load_scalesim_topology(data("small_convs.csv"));
    CHECK(t.name == "small_convs");
    CHECK_FALSE(t.gemm_format);
    REQUIRE(t.layers.size() == 5);
    const ScaleSimLayer& s = t.layers[1];
    CHECK((s.ifmap_h == 11 && s.filter_h == 3 && s.channels == 8 && s.filters == 16 && s.stride_h == 2 &&
           s.stride_w == 2));
    CHECK(s.ofmap_h() == 5);            // ceil((11 - 3 + 2) / 2)
    CHECK(t.layers[2].ofmap_h() == 4);  // ceil((6 - 1 + 2) / 2) = 4 where a plain conv gives 3
    CHECK(t.layers[3].depthwise);
    CHECK((t.layers[4].stride_h == 2 && t.layers[4].stride_w == 1));
    CHECK(t.layers[4].ofmap_w() == 7);
    CHECK(t.layers[4].line == 6);
}

TEST_CASE("SCALE-Sim topology as a graph keeps SCALE-Sim's output sizes and MACs", "[scalesim][topology]") {
    const ScaleSimTopology t = load_scalesim_topology(data("small_convs.csv"));
    const Graph g = topology_graph(t);
    REQUIRE(g.layers.size() == 10);  // an input and a conv per layer
    const Layer& pointwise = g.layers[5];
    CHECK(pointwise.output == Shape{1, 32, 4, 4});
    CHECK(g.layers[4].output == Shape{1, 16, 7, 7});  // the ifmap grew from 6x6 to (4-1)*2+1 = 7
    const Layer& dw = g.layers[7];
    CHECK(dw.conv.groups == 4);
    CHECK(dw.conv.filters == 4);
    for (size_t i = 0; i < t.layers.size(); ++i) {
        const ScaleSimLayer& s = t.layers[i];
        const int64_t macs = s.ofmap_h() * s.ofmap_w() * s.filter_h * s.filter_w * (s.depthwise ? 1 : s.channels) *
                             s.filters * (s.depthwise ? s.channels : 1);
        CHECK(layer_macs(g, int(2 * i + 1)) == macs);
    }
}

TEST_CASE("SCALE-Sim GEMM topology: M, N, K", "[scalesim][topology]") {
    const ScaleSimTopology t = load_scalesim_topology(data("small_mnk.csv"));
    CHECK(t.gemm_format);
    const Graph g = topology_graph(t);
    // M x K ifmap, one 1 x K filter per output column: M pixels, K reduction, N filters.
    const GemmDims d = scalesim_gemm(g, 1);
    CHECK((d.m == 20 && d.k == 33 && d.n == 12));
    CHECK(layer_macs(g, 3) == 7 * 5 * 64);
}

TEST_CASE("SCALE-Sim topology errors name the file and line", "[scalesim][topology][errors]") {
    const std::string header =
        "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";
    CHECK_THROWS_WITH(parse_scalesim_topology("a,b\n", "t.csv"), Contains("t.csv:1: not a SCALE-Sim topology header"));
    CHECK_THROWS_WITH(parse_scalesim_topology(header + "c, 8, 8, 3, 3, 2,\n", "t.csv"),
                      Contains("t.csv:2: expected 8 or 9 values, got 6"));
    CHECK_THROWS_WITH(parse_scalesim_topology(header + "c, 8, x, 3, 3, 2, 4, 1,\n", "t.csv"),
                      Contains("t.csv:2: column 3 (IFMAP Width): expected a positive integer below 2^31, got 'x'"));
    CHECK_THROWS_WITH(parse_scalesim_topology(header + "c, 8, 8, 3, 3, 0, 4, 1,\n", "t.csv"),
                      Contains("column 6 (Channels)"));
    CHECK_THROWS_WITH(parse_scalesim_topology(header + "c, 2, 8, 3, 3, 2, 4, 1,\n", "t.csv"),
                      Contains("t.csv:2: layer 'c': the 3x3 filter is larger than the 2x8 ifmap"));
    CHECK_THROWS_WITH(parse_scalesim_topology(header, "t.csv"), Contains("t.csv: no layers"));
    CHECK_THROWS_WITH(load_scalesim_topology("/nonexistent.csv"), Contains("cannot open"));
}

TEST_CASE("SCALE-Sim config maps onto an npusim design", "[scalesim][config]") {
    const NpuConfig c = load_scalesim_config(data("small.cfg"), test::energy_dir());
    CHECK(c.name == "small_os");
    CHECK((c.rows == 8 && c.cols == 4));
    CHECK(c.dataflow == Dataflow::OutputStationary);
    CHECK(c.ifmap.size_bytes == 16 * 1024);
    CHECK(c.weight.size_bytes == 16 * 1024);
    CHECK(c.output.size_bytes == 8 * 1024);
    CHECK(c.ifmap.banks == 2);
    CHECK(c.accumulator.size_bytes == 32 * 1024);
    CHECK(c.dram.bandwidth_gbps == 4.0);  // 4 one-byte words per cycle at the assumed 1 GHz
    CHECK(c.clock_mhz == 1000.0);
    CHECK(c.precisions == std::vector<Precision>{Precision::Int8});
}

TEST_CASE("SCALE-Sim config errors name the file, line and key", "[scalesim][config][errors]") {
    const std::string base =
        "[architecture_presets]\nArrayHeight: 8\nArrayWidth: 8\nIfmapSramSzkB: 16\n"
        "FilterSramSzkB: 16\nOfmapSramSzkB: 16\nDataflow: ws\n";
    auto parse = [](const std::string& text) { return parse_scalesim_config(text, "t.cfg", test::energy_dir()); };
    CHECK_NOTHROW(parse(base));
    CHECK_THROWS_WITH(parse(base + "Colour: red\n"), Contains("t.cfg:8: architecture_presets.Colour: unknown key"));
    CHECK_THROWS_WITH(parse(base + "[extras]\n"), Contains("t.cfg:8: [extras]: unknown section"));
    CHECK_THROWS_WITH(parse("[architecture_presets]\nArrayHeight: 8\n"),
                      Contains("t.cfg: architecture_presets.ArrayWidth: missing required key"));
    CHECK_THROWS_WITH(
        parse(base + "MemoryBanks: two\n"),
        Contains("t.cfg:8: architecture_presets.MemoryBanks: expected a positive integer below 2^31, got 'two'"));
    std::string bad = base;
    bad.replace(bad.find("ws"), 2, "rs");
    CHECK_THROWS_WITH(parse(bad), Contains("t.cfg:7: architecture_presets.Dataflow: expected os, ws or is"));
    CHECK_THROWS_WITH(parse(base + "[run_presets]\nInterfaceBandwidth: FAST\n"), Contains("expected CALC or USER"));
    CHECK_THROWS_WITH(parse("ArrayHeight: 8\n"), Contains("t.cfg:1: expected 'key: value' inside a section"));
    std::string tiny = base;
    tiny.replace(tiny.find("FilterSramSzkB: 16"), 18, "FilterSramSzkB: 1");
    tiny.replace(tiny.find("ArrayHeight: 8"), 14, "ArrayHeight: 128");
    CHECK_THROWS_WITH(parse(tiny), Contains("t.cfg: this SCALE-Sim config implies an npusim design that is invalid") &&
                                       Contains("weight"));
}

TEST_CASE("SCALE-Sim timing formula, worked by hand", "[scalesim][timing]") {
    // test.csv's Inc5b_3x3: 7x7 ifmap, 3x3 filter, 192 channels, 384 filters, stride 1:
    // ofmap 5x5 -> M = 25, K = 3*3*192 = 1728, N = 384.
    const GemmDims inc{25, 1728, 384};
    const ArrayShape tpu{256, 256};
    // ws: rows K -> 7 folds, cols N -> 2: 14 folds x (25 + 512 + 256 - 2 = 791) - 1.
    CHECK(scalesim_layer_cycles(kWs, inc, tpu) == 14 * 791 - 1);
    // os: rows M -> 1, cols N -> 2: 2 x (1728 + 256 + 256 - 2 = 2238) - 1.
    CHECK(scalesim_layer_cycles(kOs, inc, tpu) == 2 * 2238 - 1);
    // is: rows K -> 7, cols M -> 1: 7 x (384 + 512 + 256 - 2 = 1150) - 1.
    CHECK(scalesim_layer_cycles(kIs, inc, tpu) == 7 * 1150 - 1);
    // scale.cfg, 32x32 os: 1 x 12 folds x (1728 + 62) - 1; eyeriss.cfg 12x14 ws: 144 x 28 folds
    // x (25 + 24 + 14 - 2 = 61) - 1.
    CHECK(scalesim_layer_cycles(kOs, inc, {32, 32}) == 12 * 1790 - 1);
    CHECK(scalesim_layer_cycles(kWs, inc, {12, 14}) == 144 * 28 * 61 - 1);
    // Resnet18.csv's Conv1: 224x224, 7x7, 3 channels, 64 filters, stride 2: ofmap
    // ceil((224 - 7 + 2) / 2) = 110 -> M = 12100, K = 147, N = 64.
    const GemmDims conv1{12100, 147, 64};
    CHECK(scalesim_layer_cycles(kWs, conv1, tpu) == 1 * (12100 + 766) - 1);
    CHECK(scalesim_layer_cycles(kOs, conv1, tpu) == 48 * (147 + 510) - 1);
    CHECK(scalesim_layer_cycles(kIs, conv1, tpu) == 48 * (64 + 766) - 1);
}

TEST_CASE("SCALE-Sim mode on the project's small files, by hand", "[scalesim][timing]") {
    // small.cfg is 8x4 os. small_mnk.csv: proj M=20 K=33 N=12: rows M -> 3 folds, cols N -> 3:
    // 9 x (33 + 8 + 4 - 2 = 43) - 1 = 386; head M=7 K=64 N=5: 1 x 2 folds x (64 + 10) - 1 = 147.
    CHECK(network_cycles(data("small.cfg"), data("small_mnk.csv")) == 386 + 147);
}

TEST_CASE("SCALE-Sim's shipped configs and topologies, totals by hand", "[scalesim][shipped]") {
    if (!std::filesystem::exists(shared("configs/v2_shipped/google.cfg"))) NPUSIM_SKIP("../shared/scalesim is absent");
    const std::string google = shared("configs/v2_shipped/google.cfg"), scale = shared("configs/v2_shipped/scale.cfg"),
                      eyeriss = shared("configs/v2_shipped/eyeriss.cfg");
    // test.csv holds the one Inc5b_3x3 layer worked out above.
    CHECK(network_cycles(google, shared("topologies/conv_nets/test.csv")) == 11073);
    CHECK(network_cycles(scale, shared("topologies/conv_nets/test.csv")) == 21479);
    CHECK(network_cycles(eyeriss, shared("topologies/conv_nets/test.csv")) == 245951);
    // test_mnk_input.csv: M=128, N=64, K=256. google ws: 1 fold x (128 + 766) - 1; scale os: 4 x 2
    // folds x (256 + 62) - 1; eyeriss ws: 22 x 5 folds x (128 + 36) - 1.
    CHECK(network_cycles(google, shared("topologies/GEMM_mnk/test_mnk_input.csv")) == 893);
    CHECK(network_cycles(scale, shared("topologies/GEMM_mnk/test_mnk_input.csv")) == 2543);
    CHECK(network_cycles(eyeriss, shared("topologies/GEMM_mnk/test_mnk_input.csv")) == 18039);
    // Resnet18.csv's first layer alone on google (ws): 12865, worked out above.
    const ScaleSimTopology r18 = load_scalesim_topology(shared("topologies/conv_nets/Resnet18.csv"));
    const Graph g = topology_graph(r18);
    const NpuConfig tpu = load_scalesim_config(google, test::energy_dir());
    CHECK(run_scalesim_model(g, tpu, Precision::Int8).layers[0].cycles == 12865);
    CHECK(r18.layers.size() == 21);  // 20 convolutions and the FC (as a 1x1 conv)
    // Every shipped topology loads with every shipped config.
    for (const char* topo : {"conv_nets/alexnet.csv", "conv_nets/Resnet18.csv", "mlperf/Resnet50.csv"})
        for (const std::string& cfg : {google, scale, eyeriss})
            CHECK(network_cycles(cfg, shared(std::string("topologies/") + topo)) > 0);
}

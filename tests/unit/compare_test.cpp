// npusim compare's host side: the GPU measurement CSV (every malformed field named by file, line
// and column), the GPU spec files, the shape keys of conv and fc layers, and the per-layer ratios
// and totals on hand-made figures.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "common/error.h"
#include "sim/compare/device_comparison.h"
#include "workloads/model_loader.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

const std::string kHeader = "idx,kind,input,out,kernel,stride,pad,groups,macs,ms,tflops,energy_uj,avg_w\n";

std::string csv(const std::string& rows) { return kHeader + rows; }

const std::string kConvRow = "0,conv,\"(1, 3, 8, 8)\",4,\"(3, 3)\",\"(1, 1)\",\"(1, 1)\",1,6912,0.5,0.1,20,40\n";
const std::string kFcRow = "1,fc,\"(1, 256)\",3,None,None,None,1,768,0.25,0.1,10,40\n";

// A conv (3x3, padding 1) over 1x3x8x8 images, a flatten and an fc, as the NPU graph has them.
Graph two_layer_net() {
    return parse_model_yaml(
        "name: n\ninput: {channels: 3, height: 8, width: 8}\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 4, kernel: 3, padding: 1}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 3}\n",
        "n.yaml");
}

LayerResult npu_layer(int index, int64_t macs, int64_t cycles, double pj) {
    LayerResult l;
    l.graph_index = index;
    l.name = index == 1 ? "c" : index == 2 ? "f" : "fc";
    l.macs = macs;
    l.cycles = cycles;
    l.energy.mac_pj = pj;
    l.dram_read_bytes = 100;
    return l;
}

}  // namespace

TEST_CASE("a GPU measurement CSV reads conv and fc rows", "[compare]") {
    const GpuMeasurement m = parse_gpu_csv(csv(kConvRow + kFcRow), "m.csv");
    REQUIRE(m.layers.size() == 2);
    const LayerShapeKey& conv = m.layers[0].shape;
    CHECK(conv.kind == "conv");
    CHECK(conv.input == std::vector<int64_t>{1, 3, 8, 8});
    CHECK(conv.out == 4);
    CHECK(conv.kernel_h == 3);
    CHECK(conv.pad_w == 1);
    CHECK(m.layers[1].shape.input == std::vector<int64_t>{1, 256});
    CHECK(m.layers[1].macs == 768);
    CHECK(m.total_ms() == 0.75);
    CHECK(m.total_energy_uj() == 30.0);
    CHECK(conv.text() == "conv 1x3x8x8 -> 4, 3x3 /1 pad 1");
}

TEST_CASE("a GPU measurement written by npusim gpu reads back unchanged", "[compare]") {
    const GpuMeasurement m = parse_gpu_csv(csv(kConvRow + kFcRow), "m.csv");
    const GpuMeasurement back = parse_gpu_csv(gpu_csv(m), "back.csv");
    REQUIRE(back.layers.size() == 2);
    for (size_t i = 0; i < 2; ++i) {
        CHECK(back.layers[i].shape == m.layers[i].shape);
        CHECK(back.layers[i].macs == m.layers[i].macs);
        CHECK(back.layers[i].ms == m.layers[i].ms);
        CHECK(back.layers[i].energy_uj == m.layers[i].energy_uj);
    }
    CHECK_THAT(gpu_csv(m), Contains("1,fc,\"(1, 256)\",3,None,None,None,1,768,0.25,6.144e-06,10,40"));
}

TEST_CASE("a malformed GPU measurement names the file, the line and the column", "[compare]") {
    const auto fails_with = [](const std::string& text, const std::string& message) {
        INFO(text);
        CHECK_THROWS_WITH(parse_gpu_csv(text, "m.csv"), Contains(message));
    };
    fails_with("idx,kind\n", "m.csv:1: the header must be idx,kind,input");
    fails_with(csv(""), "m.csv: no layer rows");
    fails_with(csv("0,conv,1\n"), "m.csv:2: 3 fields, the header has 13");
    fails_with(csv(kConvRow + "1,pool,\"(1, 256)\",3,None,None,None,1,768,0.25,0.1,10,40\n"),
               "m.csv:3: column 'kind': 'pool' is not conv or fc");
    fails_with(csv("0,conv,\"(1, 3, 8)\",4,\"(3, 3)\",\"(1, 1)\",\"(1, 1)\",1,6912,0.5,0.1,20,40\n"),
               "m.csv:2: column 'input': '(1, 3, 8)' must hold 4 values");
    fails_with(csv("0,conv,\"(1, 3, 8, 8)\",4,\"3x3\",\"(1, 1)\",\"(1, 1)\",1,6912,0.5,0.1,20,40\n"),
               "column 'kernel': '3x3' is not a tuple");
    fails_with(csv("0,conv,\"(1, 3, 8, 8)\",4,\"(3, 3)\",\"(1, 1)\",\"(1, 1)\",1,6912,0,0.1,20,40\n"),
               "column 'ms': 0 must be > 0");
    fails_with(csv("0,conv,\"(1, 3, 8, 8)\",4,\"(3, 3)\",\"(1, 1)\",\"(1, 1)\",1,6912,0.5,0.1,nan,40\n"),
               "column 'energy_uj': 'nan' is not a number");
    fails_with(csv("1,fc,\"(1, 256)\",3,\"(1, 1)\",None,None,1,768,0.25,0.1,10,40\n"),
               "column 'kernel': '(1, 1)': an fc row has None here");
    CHECK_THROWS_AS(read_gpu_csv("/nonexistent/m.csv"), WorkloadError);
}

TEST_CASE("the shipped GPU specs load, and a bad one names its key", "[compare]") {
    const std::string dir = std::string(NPUSIM_SOURCE_DIR) + "/configs/gpu/";
    const GpuSpec h100 = load_gpu_spec(dir + "h100_sxm.yaml");
    CHECK(h100.peak_ops_per_s(Precision::Fp16) == 989.4e12);
    CHECK(h100.peak_ops_per_s(Precision::Int8) == 1979e12);
    CHECK(h100.memory_gbps == 3350);
    for (const char* name : {"h200", "a100", "l4"}) CHECK_NOTHROW(load_gpu_spec(dir + name + ".yaml"));
    const std::string bad = std::string(NPUSIM_TEST_TMP) + "/bad_gpu_" + std::to_string(getpid()) + ".yaml";
    std::ofstream(bad) << "name: x\ndescription: y\npeak_tflops: {fp8: 3}\nmemory_gbps: 1\ntdp_w: 1\n";
    CHECK_THROWS_WITH(load_gpu_spec(bad), Contains("peak_tflops.fp8") && Contains("not a precision"));
    std::ofstream(bad) << "name: x\ndescription: y\npeak_tflops: {fp16: 3}\nmemory_gbps: 1\ntdp_w: 1\nwatts: 3\n";
    CHECK_THROWS_WITH(load_gpu_spec(bad), Contains("watts: unknown key"));
}

TEST_CASE("NPU layers meet GPU rows by shape, with the ratios and totals worked by hand", "[compare]") {
    const Graph g = two_layer_net();
    CHECK(layer_shape_key(g, 1) == parse_gpu_csv(csv(kConvRow), "m").layers[0].shape);
    CHECK(layer_shape_key(g, 2).kind.empty());  // the flatten has no GPU counterpart
    RunResult run;
    run.clock_mhz = 1000.0;  // 1 cycle = 1 ns
    run.rows = run.cols = 4;
    run.peak_tops = 0.032;
    run.layers = {npu_layer(1, 6912, 250000, 5e6), npu_layer(2, 0, 50000, 1e6), npu_layer(3, 768, 1000000, 1e6)};
    GpuSpec spec;
    spec.name = "g";
    spec.peak_tflops[Precision::Fp16] = 1.0;
    // The fc row first: matching is by shape, not by position.
    const GpuMeasurement gpu = parse_gpu_csv(csv(kFcRow + kConvRow), "m.csv");
    const DeviceComparison c = compare_devices(run, g, Precision::Int8, gpu, spec, Precision::Fp16);
    REQUIRE(c.layers.size() == 2);
    CHECK(c.layers[0].name == "c");
    CHECK(c.layers[0].npu.ms == Approx(0.25));
    CHECK(c.layers[0].gpu.ms == 0.5);
    CHECK(c.layers[0].speedup() == Approx(2.0));       // 0.5 ms on the GPU, 0.25 on the NPU
    CHECK(c.layers[0].energy_ratio() == Approx(4.0));  // 20 uJ against 5 uJ (5e6 pJ)
    CHECK(c.layers[0].npu.peak_fraction == Approx(6912.0 / (250000.0 * 16)));
    CHECK(c.layers[0].gpu.peak_fraction == Approx(2.0 * 6912 / 0.5e-3 / 1e12));
    CHECK(c.layers[1].npu.ms == Approx(1.0));
    CHECK(c.npu_other_ms == Approx(0.05));
    CHECK(c.npu_other_mj == Approx(1e-3));
    const ComparedLayer total = c.total();
    CHECK(total.npu.ms == Approx(1.25));
    CHECK(total.gpu.ms == Approx(0.75));
    CHECK(total.gpu.mj == Approx(0.03));
    CHECK(total.npu.mj == Approx(0.006));
    CHECK(total.macs == 6912 + 768);
    CHECK(c.npu_unmatched.empty());
    CHECK(c.gpu_unmatched.empty());
    // A GPU file without the fc: the NPU's fc is listed, not dropped.
    const DeviceComparison partial =
        compare_devices(run, g, Precision::Int8, parse_gpu_csv(csv(kConvRow), "m"), spec, Precision::Fp16);
    CHECK(partial.layers.size() == 1);
    CHECK(partial.npu_unmatched == std::vector<std::string>{"fc: fc 1x256 -> 3"});
}

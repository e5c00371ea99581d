// npusim compare end to end on the measured H100 file (tests/data/gpu): every ResNet-50 conv and
// fc layer matched, the GPU totals of the file, the ratios in the JSON, CSV and HTML outputs, and
// the exits without a GPU side or with files that do not match.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_helpers.h"

using namespace npu::test;
using Catch::Matchers::Contains;

namespace {

std::string gpu_file(const std::string& name) { return std::string(NPUSIM_SOURCE_DIR) + "/tests/data/gpu/" + name; }

const std::string kResnet50 = "compare --arch tpu_v1 --workload resnet50 --precision fp16 --gpu-results ";

}  // namespace

TEST_CASE("npusim compare puts ResNet-50 on tpu_v1 beside the measured H100, layer by layer", "[e2e][compare]") {
    const std::string json = temp_path("compare.json"), csv = temp_path("compare.csv"),
                      html = temp_path("compare.html");
    const Result r =
        npusim(kResnet50 + gpu_file("resnet50_fp16_b1.csv") + " --json " + json + " --csv " + csv + " --html " + html);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("tpu_v1 in int8 (simulated, timing-only), the GPU side in fp16") &&
                          Contains("NVIDIA H100 SXM5 80 GB HBM3 in fp16") &&
                          Contains("54 conv/fc layers matched by shape") && !Contains("unmatched"));
    const auto j = nlohmann::json::parse(read(json));
    REQUIRE(j["layers"].size() == 54);
    CHECK(j["layers"][0]["name"] == "conv1");
    CHECK(j["layers"][53]["shape"] == "fc 1x2048 -> 1000");
    // The file's totals (its README: 1.061 ms, 181.7 mJ) and the NPU's, summed from the layers.
    CHECK(j["total"]["gpu"]["ms"].get<double>() == Approx(1.0606).epsilon(1e-4));
    CHECK(j["total"]["gpu"]["mj"].get<double>() == Approx(181.71).epsilon(1e-4));
    double npu_ms = 0.0, macs = 0.0;
    for (const auto& l : j["layers"]) {
        INFO(l["name"]);
        CHECK(l["speedup"].get<double>() == Approx(l["gpu"]["ms"].get<double>() / l["npu"]["ms"].get<double>()));
        CHECK(l["energy_ratio"].get<double>() == Approx(l["gpu"]["mj"].get<double>() / l["npu"]["mj"].get<double>()));
        CHECK(l["npu"]["peak_fraction"].get<double>() > 0);
        CHECK(l["npu"]["peak_fraction"].get<double>() <= 1);
        npu_ms += l["npu"]["ms"].get<double>();
        macs += l["macs"].get<double>();
    }
    CHECK(j["total"]["npu"]["ms"].get<double>() == Approx(npu_ms));
    CHECK(macs == 4089184256.0);  // ResNet-50's conv and fc MACs, the GPU file's too
    // The GPU's share of its 989.4 TFLOPS FP16 peak, from its time.
    const auto& conv1 = j["layers"][0];
    CHECK(conv1["gpu"]["peak_fraction"].get<double>() ==
          Approx(2.0 * conv1["macs"].get<double>() / (conv1["gpu"]["ms"].get<double>() * 1e-3) / 989.4e12));
    CHECK(j["unmatched_npu"].empty());
    CHECK(j["unmatched_gpu"].empty());
    CHECK(count_lines(read(csv)) == 1 + 54 + 1);
    const std::string page = read(html);
    CHECK_THAT(page, Contains("NPU tpu_v1: roofline") && Contains("GPU h100_sxm: roofline") &&
                         Contains("GPU energy per layer"));
}

TEST_CASE("npusim compare without a GPU side, or with a file that does not match", "[e2e][compare]") {
    Result r = npusim("compare --arch tpu_v1 --workload resnet50");
    CHECK(r.status == 5);
    CHECK_THAT(r.out,
               Contains("no GPU side: no --gpu-results FILE") && Contains("no usable GPU here") && Contains("total"));
    r = npusim(kResnet50 + gpu_file("resnet50_fp16_b1.csv") + " --batch 2");
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("no row matches a conv or fc layer of 'resnet50' at batch 2"));
    // ResNet-18's layers: its shapes that ResNet-50 has match, the rest are listed on both sides.
    r = npusim(kResnet50 + gpu_file("resnet18_fp16_b1.csv"));
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("unmatched NPU layer (no GPU row of its shape): layer1_0_conv1") &&
                          Contains("unmatched GPU row (no NPU layer of its shape): row"));
    r = npusim(kResnet50 + "/nonexistent/gpu.csv");
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("/nonexistent/gpu.csv: cannot open file"));
    r = npusim(kResnet50 + gpu_file("resnet50_fp16_b1.csv") + " --npu-precision fp16");
    CHECK(r.status == 2);
    CHECK_THAT(r.out, Contains("--npu-precision: design 'tpu_v1' has no fp16 MACs"));
    r = npusim(kResnet50 + gpu_file("resnet50_fp16_b1.csv") + " --gpu v100");
    CHECK(r.status != 0);
    CHECK_THAT(r.out, Contains("v100") && Contains("h100_sxm"));
    r = npusim(kResnet50 + gpu_file("resnet50_fp16_b1.csv") + " --json /nonexistent/dir/c.json");
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("--json /nonexistent/dir/c.json: cannot open for writing (no folder"));
}

TEST_CASE("npusim gpu without a usable GPU says why and exits 5", "[e2e][compare]") {
    const Result r = npusim("gpu --workload lenet5 --precision int8");
    CHECK(r.status == 5);
    CHECK_THAT(r.out, Contains("npusim gpu: no usable GPU here") || Contains("built without CUDA"));
    CHECK(npusim("gpu --workload lenet5 --min-ms -1").status == 2);
    const Result network = npusim("gpu --workload lenet5 --network --backend mma --precision int8");
    CHECK(network.status == 5);
    Result bad = npusim("gpu --workload lenet5 --network --csv /tmp/x.csv");
    CHECK(bad.status == 2);
    CHECK_THAT(bad.out, Contains("--csv: --network"));
    bad = npusim("gpu --workload lenet5 --network --json /tmp/x.json");
    CHECK(bad.status == 2);
    CHECK_THAT(bad.out, Contains("--json: --network"));
    bad = npusim("gpu --workload lenet5 --json /nonexistent/dir/m.json");  // before looking for a GPU
    CHECK(bad.status == 1);
    CHECK_THAT(bad.out, Contains("--json /nonexistent/dir/m.json: cannot open for writing (no folder"));
    bad = npusim("gpu --workload lenet5 --backend cudnn");
    CHECK(bad.status == 2);
    CHECK_THAT(bad.out, Contains("--backend") && Contains("naive, tiled, mma, vendor"));
    bad = npusim("gpu --workload lenet5 --backend mma --precision fp32");  // before looking for a GPU
    CHECK(bad.status == 2);
    CHECK_THAT(bad.out, Contains("--backend: the mma backend has no fp32"));
    bad = npusim("compare --arch tpu_v1 --workload lenet5 --precision fp32 --gpu-backend mma --gpu-results " +
                 gpu_file("resnet50_fp16_b1.csv"));
    CHECK(bad.status == 2);
    CHECK_THAT(bad.out, Contains("--gpu-backend: the mma backend has no fp32"));
    bad = npusim(kResnet50 + gpu_file("resnet50_fp16_b1.csv") + " --precision fp32");  // given twice
    CHECK(bad.status == 2);
    CHECK_THAT(bad.out, Contains("--precision"));
}

// ConvNeXt's units (layer norm over channels, GELU, a layer scale folded into its conv) run on
// the NPU in every precision, checked layer by layer against the CPU reference; timing-only runs
// give the same cycles; training refuses the layer norm by name.
#include <catch2/catch.hpp>

#include <fstream>

#include "cli_helpers.h"

using namespace npu::test;
using Catch::Matchers::Contains;

TEST_CASE("layer norms and GELU run on the NPU as the CPU reference computes them", "[e2e][convnext]") {
    const std::string model = std::string(NPUSIM_SOURCE_DIR) + "/tests/data/models/convnext_units.yaml";
    for (const char* args : {"--arch tiny_4x4", "--arch tiny_4x4 --precision fp16", "--arch tiny_4x4 --precision fp32",
                             "--arch train_128_fp16 --precision bf16", "--arch edge_32x32 --batch 3",
                             "--arch eyeriss --batch 2 --residency off --fusion off"}) {
        INFO(args);
        const Result r = npusim(std::string("run ") + args + " --workload " + model);
        REQUIRE(r.status == 0);
        CHECK_THAT(r.out, Contains("check: PASS") && Contains("stem_norm                layer_norm") &&
                              Contains("gelu                     unary"));
        CHECK_THAT(r.out, !Contains("layer_scale"));  // folded into `project`
        const Result timing = npusim(std::string("run --timing-only ") + args + " --workload " + model);
        REQUIRE(timing.status == 0);
        CHECK(layer_rows(timing.out) == layer_rows(r.out));
        CHECK(layer_rows(timing.out).size() > 1500);
    }
    const std::string small = temp_path("norm_train.yaml");
    std::ofstream(small) << "name: norm_train\ninput: {channels: 1, height: 6, width: 6}\nlayers:\n"
                            "  - {name: c, type: conv2d, filters: 4, kernel: 3}\n"
                            "  - {name: norm, type: layer_norm}\n"
                            "  - {name: gap, type: global_avgpool}\n"
                            "  - {name: flat, type: flatten}\n"
                            "  - {name: fc, type: fc, out_features: 10}\n";
    const Result train = npusim("train --timing-only --model " + small + " --arch train_128_fp16 --device npu");
    CHECK(train.status == 1);
    CHECK_THAT(train.out, Contains("layer 'norm': layer_norm layers are not supported in training"));
}

// ShuffleNetV2 units (slices, concats, channel shuffles) run on the NPU in every precision,
// checked layer by layer against the CPU reference; timing-only runs give the same cycles.
#include <catch2/catch.hpp>

#include <fstream>

#include "cli_helpers.h"

using namespace npu::test;
using Catch::Matchers::Contains;

TEST_CASE("slices and channel shuffles run on the NPU as the CPU reference computes them", "[e2e][channel]") {
    const std::string model = std::string(NPUSIM_SOURCE_DIR) + "/tests/data/models/shuffle_units.yaml";
    for (const char* args :
         {"--arch tiny_4x4", "--arch tiny_4x4 --precision fp16", "--arch tiny_4x4 --precision fp32",
          "--arch train_128_fp16 --precision bf16", "--arch edge_32x32 --batch 3", "--arch eyeriss --batch 2"}) {
        INFO(args);
        const Result r = npusim(std::string("run ") + args + " --workload " + model);
        REQUIRE(r.status == 0);
        CHECK_THAT(r.out, Contains("check: PASS") && Contains("mix1                     channel_shuffle") &&
                              Contains("half                     slice"));
    }
    // Timing-only runs give the functional cycles: every layer in FP16; in INT8 every layer but the
    // concats, whose rescaling timing-only runs assume for each input (an upper bound).
    const auto rows = [](const std::string& out, bool concats) { return layer_rows(out, concats ? "" : " concat "); };
    for (const char* args : {"--arch tiny_4x4 --precision fp16", "--arch train_128_fp16 --batch 2 --precision fp16",
                             "--arch tiny_4x4", "--arch eyeriss --batch 2"}) {
        INFO(args);
        const bool int8 = std::string(args).find("fp16") == std::string::npos;
        const Result timing = npusim(std::string("run --timing-only ") + args + " --workload " + model);
        const Result values = npusim(std::string("run ") + args + " --workload " + model);
        REQUIRE(timing.status == 0);
        CHECK(rows(timing.out, !int8) == rows(values.out, !int8));
        CHECK(rows(timing.out, !int8).size() > 1500);  // the rows are there
        if (!int8)
            CHECK(timing.out.substr(timing.out.find("\ntotal:"), 60) ==
                  values.out.substr(values.out.find("\ntotal:"), 60));
    }
    // Training refuses them by name, before any step.
    const std::string small = temp_path("shuffle_train.yaml");
    std::ofstream(small) << "name: shuffle_train\ninput: {channels: 1, height: 6, width: 6}\nlayers:\n"
                            "  - {name: c, type: conv2d, filters: 4, kernel: 3}\n"
                            "  - {name: mix, type: channel_shuffle, groups: 2}\n"
                            "  - {name: half, type: slice, begin: 0, end: 2}\n"
                            "  - {name: gap, type: global_avgpool}\n"
                            "  - {name: flat, type: flatten}\n"
                            "  - {name: fc, type: fc, out_features: 10}\n";
    const Result train = npusim("train --timing-only --model " + small + " --arch train_128_fp16 --device npu");
    CHECK(train.status == 1);
    CHECK_THAT(train.out, Contains("layer 'mix': channel_shuffle layers are not supported in training"));
}

// A squeeze-and-excitation block with sigmoid, hard sigmoid, tanh and per-channel products runs
// on the NPU in every precision, checked layer by layer against the CPU reference.
#include <catch2/catch.hpp>

#include <fstream>

#include "cli_helpers.h"

using namespace npu::test;
using Catch::Matchers::Contains;

TEST_CASE("sigmoid, hard sigmoid, tanh and mul run on the NPU as the CPU reference computes them", "[e2e][unary]") {
    const std::string model = temp_path("se_block.yaml");
    std::ofstream(model) << "name: se_block\ninput: {channels: 4, height: 6, width: 6}\nlayers:\n"
                            "  - {name: c1, type: conv2d, filters: 8, kernel: 3, padding: 1, activation: relu}\n"
                            "  - {name: gap, type: global_avgpool}\n"
                            "  - {name: fc1, type: conv2d, filters: 2, kernel: 1, activation: relu}\n"
                            "  - {name: fc2, type: conv2d, filters: 8, kernel: 1}\n"
                            "  - {name: gate, type: unary, function: hard_sigmoid, alpha: 0.1666667}\n"
                            "  - {name: scaled, type: mul, inputs: [c1, gate]}\n"
                            "  - {name: sig, type: unary, function: sigmoid}\n"
                            "  - {name: silu, type: mul, inputs: [scaled, sig]}\n"
                            "  - {name: t, type: unary, function: tanh}\n"
                            "  - {name: gap2, type: global_avgpool}\n"
                            "  - {name: flat, type: flatten}\n"
                            "  - {name: fc, type: fc, out_features: 5}\n";
    for (const char* args : {"--arch tiny_4x4", "--arch tiny_4x4 --precision fp16", "--arch tiny_4x4 --precision fp32",
                             "--arch train_128_fp16 --precision bf16", "--arch edge_32x32 --batch 3"}) {
        INFO(args);
        const Result r = npusim(std::string("run ") + args + " --workload " + model);
        REQUIRE(r.status == 0);
        CHECK_THAT(r.out, Contains("check: PASS") && Contains("gate                     unary") &&
                              Contains("scaled                   mul"));
    }
    // Timing-only runs give the functional run's cycles.
    const Result timing = npusim("run --arch tiny_4x4 --timing-only --workload " + model);
    const Result values = npusim("run --arch tiny_4x4 --workload " + model);
    const auto total = [](const std::string& out) { return out.substr(out.find("\ntotal:"), 60); };
    CHECK(total(timing.out) == total(values.out));
    // Training refuses them by name, before any step.
    const Result train = npusim("train --timing-only --model " + model + " --arch train_128_fp16 --device npu");
    CHECK(train.status == 1);
    CHECK_THAT(train.out, Contains("layer 'gate': unary layers are not supported in training (inference only"));
}

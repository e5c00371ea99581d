// npusim run --prune: pruned weights stay bit-exact against the CPU reference run on the same
// pruned weights, the report states the density, and wrong uses get one line and status 2.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>

#include "cli_helpers.h"
#include "test_paths.h"

using namespace npu::test;

using Catch::Matchers::Contains;

TEST_CASE("npusim run --prune keeps the check and reports the weights' density", "[e2e][pruning]") {
    const std::string json = temp_path("lenet_pruned.json");
    // The weights pruning keeps: 2:4 keeps 2 of every 4 along K and min(2, L) of a filter's last
    // L < 4 (LeNet-5's K: 25, 150, 400, 120, 84 for 6, 16, 120, 84, 10 filters: 78 + 1216 +
    // 24000 + 5040 + 420); 0.2 per layer floor(0.2 x 150, 2400, 48000, 10080, 840); global 0.5
    // floor(0.5 x 61470).
    for (const auto& [spec, pruning, most] : {std::tuple{"2:4", "2:4", 30754},
                                              {"0.2", "to density 0.2 per layer", 12294},
                                              {"global:0.5", "to density 0.5 globally", 30735}}) {
        INFO(spec);
        const Result r =
            npusim(std::string("run --arch tiny_4x4 --workload lenet5 --prune ") + spec + " --json " + json);
        REQUIRE(r.status == 0);
        const auto j = nlohmann::json::parse(read(json));
        const auto& w = j["total"]["weights"];
        CHECK(w["pruning"] == pruning);
        CHECK(w["values"] == 61470);  // LeNet-5's conv and fc weights
        // INT8 rounding may zero a few small survivors too.
        CHECK(int64_t(w["nonzero"]) <= most);
        CHECK(double(w["nonzero"]) >= 0.95 * most);
        CHECK(j["check"]["passed"] == true);
        int64_t layers = 0, nonzero = 0;
        for (const auto& layer : j["layers"])
            if (layer.contains("weights")) {
                ++layers;
                nonzero += int64_t(layer["weights"]["nonzero"]);
            }
        CHECK(layers == 5);  // three convs, two fc
        CHECK(nonzero == w["nonzero"]);
    }
    const Result table = npusim("run --arch tiny_4x4 --workload lenet5 --prune 2:4");
    REQUIRE(table.status == 0);
    CHECK_THAT(table.out, Contains("weights: pruned 2:4; ") && Contains("conv/fc weights nonzero (density 0.50") &&
                              Contains("check: PASS"));
    // Dense random weights: no weights line (a percent or two of INT8 zeros is no pruning).
    CHECK_THAT(npusim("run --arch tiny_4x4 --workload lenet5").out, !Contains("weights: "));
}

// Magnitude pruning needs values, so a functional run; N:M pruning's structure is known without
// them, so a timing-only run takes it (and an nm array times it).
TEST_CASE("npusim run --prune refuses timing-only magnitude pruning, scalesim and malformed specs", "[e2e][pruning]") {
    const std::string run = "run --arch tiny_4x4 --workload lenet5 ";
    for (const auto& [args, message] :
         {std::pair{"--prune 0.5 --timing-only",
                    "--prune 0.5: magnitude pruning needs the weights' values, so a functional run"},
          {"--prune global:0.3 --timing-only", "--prune global:0.3: magnitude pruning needs the weights' values"},
          {"--prune 2:4 --timing-model scalesim", "--prune: the scalesim timing model is a dense formula"},
          {"--prune 4:2", "--prune: '4:2' is not a pruning: give N:M"},
          {"--prune 1.5", "--prune: '1.5' is not a pruning"},
          {"--prune half", "--prune: 'half' is not a pruning"}}) {
        INFO(args);
        const Result r = npusim(run + args);
        CHECK(r.status == 2);
        CHECK_THAT(r.out, Contains(message));
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
    }
    const Result nm = npusim(run + "--prune 2:4 --timing-only");
    CHECK(nm.status == 0);
    CHECK_THAT(nm.out, Contains("weights: pruned 2:4 (its structure: a timing-only run has no values to count)"));
}

// A model file's `prune:` key: the same transform as --prune (which overrides it); a timing-only
// run keeps an N:M pruning's structure and says a magnitude pruning has nothing to prune; a
// malformed value names the file, line and key.
TEST_CASE("a model file's prune key prunes its functional runs", "[e2e][pruning]") {
    std::ifstream source(model_file("lenet5"));
    std::stringstream text;
    text << source.rdbuf();
    int files = 0;  // one file per value: same-length values must not overwrite each other
    const auto with_prune = [&](const std::string& value) {
        std::string yaml = text.str();
        yaml.replace(yaml.find("\nname: lenet5"), 13, "\nname: lenet5_pruned\nprune: \"" + value + "\"");
        const std::string path = temp_path("lenet5_pruned_" + std::to_string(++files) + ".yaml");
        std::ofstream(path) << yaml;
        return path;
    };
    const std::string pruned = with_prune("2:4"), json = temp_path("lenet_yaml_pruned.json");
    REQUIRE(npusim("run --arch tiny_4x4 --workload " + pruned + " --json " + json).status == 0);
    auto j = nlohmann::json::parse(read(json));
    CHECK(j["total"]["weights"]["pruning"] == "2:4");
    CHECK(int64_t(j["total"]["weights"]["nonzero"]) <= 30754);
    CHECK(j["check"]["passed"] == true);
    REQUIRE(npusim("run --arch tiny_4x4 --workload " + pruned + " --prune 0.2 --json " + json).status == 0);
    CHECK(nlohmann::json::parse(read(json))["total"]["weights"]["pruning"] == "to density 0.2 per layer");

    const Result timing = npusim("run --arch tiny_4x4 --workload " + pruned + " --timing-only");
    CHECK(timing.status == 0);
    CHECK_THAT(timing.out, Contains("weights: pruned 2:4 (its structure: a timing-only run has no values to count)"));
    const Result magnitude = npusim("run --arch tiny_4x4 --workload " + with_prune("0.5") + " --timing-only");
    CHECK(magnitude.status == 0);
    CHECK_THAT(magnitude.out,
               Contains("weights: the model asks to be pruned to density 0.5 per layer; a timing-only run has no "
                        "values to prune"));

    const std::string bad = with_prune("5:4");
    const Result r = npusim("run --arch tiny_4x4 --workload " + bad);
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains(bad + ":") && Contains(": prune: '5:4' is not a pruning"));
}

// Weights that hold zeros already (the seed's kernel: 4 of 9) are reported without --prune, as
// an imported ONNX model's are: the count is of the weights the array gets, whatever made them.
TEST_CASE("a model whose weights are sparse already is reported", "[e2e][pruning]") {
    const std::string json = temp_path("seed_weights.json");
    const Result r = npusim("run --arch tiny_4x4 --workload seed --json " + json);
    REQUIRE(r.status == 0);
    const auto w = nlohmann::json::parse(read(json))["total"]["weights"];
    CHECK(w["values"] == 9);
    CHECK(w["nonzero"] == 5);
    CHECK(w["pruning"] == "");
    const Result table = npusim("run --arch tiny_4x4 --workload seed");
    CHECK_THAT(table.out, Contains("weights: 5 of 9 conv/fc weights nonzero (density 0.556)"));
}

// Hostile and malformed input end to end: every file under tests/data/bad makes `npusim run`
// exit 1 with one line naming the file and what is wrong, never a signal; limits are raised
// by --limit; the same inputs give byte-identical reports.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "cli_helpers.h"
#include "test_paths.h"

using namespace npu::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

struct BadFile {
    std::string file, expect;
};

std::vector<BadFile> manifest() {
    std::vector<BadFile> out;
    std::ifstream in(source_dir() + "/tests/data/bad/expected.txt");
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const size_t bar = line.find(" | ");
        REQUIRE(bar != std::string::npos);
        out.push_back({line.substr(0, bar), line.substr(bar + 3)});
    }
    return out;
}

}  // namespace

TEST_CASE("every malformed file gives one line naming it, exit 1, never a signal", "[e2e][bad]") {
    const std::string dir = source_dir() + "/tests/data/bad/";
    const std::vector<BadFile> files = manifest();
    // The manifest covers the whole folder: a new bad file cannot go untested.
    size_t on_disk = 0;
    for (const auto& e : fs::directory_iterator(dir)) on_disk += e.path().filename() != "expected.txt";
    CHECK(files.size() == on_disk);
    CHECK(files.size() >= 30);
    for (const BadFile& f : files) {
        INFO(f.file);
        const bool design = f.file.rfind("design_", 0) == 0;
        const Result r = npusim(design ? "run --arch " + dir + f.file + " --workload seed"
                                       : "run --arch tiny_4x4 --timing-only --workload " + dir + f.file);
        INFO(r.out);
        CHECK(r.status == 1);
        CHECK(count_lines(r.out) == 1);
        CHECK_THAT(r.out, Contains("npusim: error: ") && Contains(f.file) && Contains(f.expect));
    }
}

TEST_CASE("limits are raised with --limit, and bad --limit arguments are usage errors", "[e2e][limits]") {
    // 3 x 10000 x 10000 = 3 x 10^8 elements: over the default 2^28.
    const std::string model = temp_path("big_input.yaml");
    std::ofstream(model) << "name: big\ninput: {channels: 3, height: 10000, width: 10000}\n"
                            "layers:\n  - {name: act, type: relu}\n";
    Result r = npusim("run --arch tpu_v1 --timing-only --workload " + model);
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("raise with --limit tensor_elements=N"));
    r = npusim("run --arch tpu_v1 --timing-only --workload " + model + " --limit tensor_elements=400000000");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("act"));
    // The tensor limits bound what a functional run allocates: a timing-only run allocates no
    // activations, so they count one image and the batch is bounded by the program's length.
    r = npusim("run --arch tpu_v1 --workload resnet18 --batch 256 --no-check");
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("limit model_elements"));
    r = npusim("run --arch tpu_v1 --workload resnet18 --batch 256 --timing-only");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("batch 256, timing only"));
    // A held program longer than the instruction limit is refused at the layer that passes it; a
    // timing-only run streams its program, so the limit does not bound it.
    r = npusim("run --arch tiny_4x4 --workload lenet5 --limit instructions=100 --no-check");
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("layer 'c3'") && Contains("the program grows past 100 instructions"));
    r = npusim("run --arch tiny_4x4 --timing-only --workload lenet5 --limit instructions=100");
    CHECK(r.status == 0);
    for (const std::string bad : {"tensors=5", "tensor_elements", "tensor_elements=0", "tensor_elements=1e9",
                                  "array_pes=-3", "sram_mib=99999999999999999999999"}) {
        INFO(bad);
        r = npusim("run --arch tiny_4x4 --workload seed --limit " + bad);
        CHECK(r.status == 2);
        CHECK(count_lines(r.out) == 1);
        CHECK_THAT(r.out, Contains("--limit"));
    }
}

TEST_CASE("the same inputs and seed give byte-identical JSON reports", "[e2e][determinism]") {
    const std::string a = temp_path("det_a.json"), b = temp_path("det_b.json");
    for (const std::string args : {"--arch edge_32x32 --workload lenet5 --seed 7",
                                   "--arch tiny_4x4 --workload mobilenetv2 --input-size 32 --precision fp16",
                                   "--arch eyeriss --workload resnet18 --timing-only --batch 2"}) {
        INFO(args);
        REQUIRE(npusim("run " + args + " --json " + a).status == 0);
        REQUIRE(npusim("run " + args + " --json " + b).status == 0);
        CHECK(read(a) == read(b));
        CHECK(read(a).size() > 1000);
    }
}

TEST_CASE("a sweep's results are byte-identical whatever --jobs", "[e2e][determinism][sweep]") {
    const std::string sweep = temp_path("det_sweep.yaml");
    std::ofstream(sweep) << "name: det\nbase: tiny_4x4\nworkloads: [lenet5, seed]\nmode: functional\n"
                            "axes:\n  array.dataflow: [ws, os, is]\n  run.precision: [int8, fp16]\n";
    const std::string one = temp_path("det1.sweep"), two = temp_path("det2.sweep");
    fs::remove_all(one);
    fs::remove_all(two);
    REQUIRE(npusim("sweep " + sweep + " --out " + one + " --jobs 1").status == 0);
    REQUIRE(npusim("sweep " + sweep + " --out " + two + " --jobs 2").status == 0);
    CHECK(read(one + "/results.json") == read(two + "/results.json"));
    CHECK(read(one + "/results.csv") == read(two + "/results.csv"));
    size_t records = 0;
    for (const auto& e : fs::directory_iterator(one + "/points")) {
        INFO(e.path());
        CHECK(read(e.path().string()) == read(two + "/points/" + e.path().filename().string()));
        records += e.path().extension() == ".json";
    }
    CHECK(records == 12);  // and beside each record the design the point ran (<id>.yaml)
}

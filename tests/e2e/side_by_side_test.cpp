// npusim run --arch a --arch b: the same workload on several designs, one table side by side,
// each design's figures those of its own run.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_helpers.h"

using namespace npu::test;
using Catch::Matchers::Contains;

TEST_CASE("run --arch a --arch b puts the designs side by side, each as its own run says", "[e2e][side-by-side]") {
    const std::string json = temp_path("side.json"), csv = temp_path("side.csv"), one = temp_path("one.json");
    const Result r = npusim("run --arch tiny_4x4 --arch edge_32x32 --workload lenet5 --timing-only --json " + json +
                            " --csv " + csv);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("npusim run: lenet5, int8, batch 1, timing-only, on 2 designs"));
    CHECK_THAT(r.out, Contains("tiny_4x4") && Contains("edge_32x32") && Contains("latency vs first") &&
                          Contains("TOPS/W") && Contains("4x4 ws") && Contains("32x32 ws"));
    const auto all = nlohmann::json::parse(read(json))["designs"];
    REQUIRE(all.size() == 2);
    for (int i = 0; i < 2; ++i) {
        const std::string design = all[i]["design"];
        INFO(design);
        CHECK(all[i]["status"] == "ok");
        REQUIRE(npusim("run --arch " + design + " --workload lenet5 --timing-only --json " + one).status == 0);
        const auto alone = nlohmann::json::parse(read(one));
        CHECK(all[i]["report"]["total"]["cycles"] == alone["total"]["cycles"]);
        CHECK(all[i]["report"]["total"]["dram_read_bytes"] == alone["total"]["dram_read_bytes"]);
        CHECK_THAT(r.out, Contains(std::to_string(alone["total"]["cycles"].get<int64_t>())));
    }
    CHECK(count_lines(read(csv)) == 3);
    CHECK_THAT(read(csv), Contains("design,status,rows,cols,dataflow") && Contains("\ntiny_4x4,ok,4,4,ws,"));

    // A design that cannot run it: its column says error, its line says why, status 1.
    const Result fp16 = npusim("run --arch tiny_4x4 --arch edge_32x32 --workload seed --precision fp16");
    CHECK(fp16.status == 1);
    CHECK_THAT(fp16.out, Contains("edge_32x32: design 'edge_32x32' has no fp16 MACs") && Contains("PASS"));
    const Result trace = npusim("run --arch tiny_4x4 --arch edge_32x32 --workload seed --trace t.json");
    CHECK(trace.status == 2);
    CHECK_THAT(trace.out, Contains("npusim: error: --arch given more than once compares designs side by side"));
}

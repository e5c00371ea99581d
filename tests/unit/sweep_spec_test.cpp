// Sweep files: grid and list expansion, tied axes, fixed keys, stable point ids, and errors that
// name the file and key before any point runs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "common/error.h"
#include "sim/config/arch_loader.h"
#include "sim/explore/sweep_spec.h"
#include "test_paths.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

std::string write_sweep(const std::string& name, const std::string& text) {
    const std::string dir = std::string(NPUSIM_TEST_TMP) + "/sweeps";
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/" + name + ".yaml";
    std::ofstream(path) << text;
    return path;
}

SweepSpec load(const std::string& name, const std::string& text, int64_t max_points = 100000) {
    return load_sweep(write_sweep(name, text), test::arch_dir(), test::models_dir(), test::energy_dir(), max_points);
}

const char* kGrid = R"(name: grid
base: tiny_4x4
workloads: [seed, lenet5]
set:
  dram.bandwidth_gbps: 32
axes:
  array.rows+array.cols: [4, 8]
  array.dataflow: [ws, os, is]
  run.precision: [int8, fp16]
)";

}  // namespace

TEST_CASE("a grid expands to every combination, workloads outermost", "[sweep]") {
    const SweepSpec s = load("grid", kGrid);
    REQUIRE(s.points.size() == 2 * 2 * 3 * 2);
    CHECK(s.axis_keys == std::vector<std::string>{"array.rows", "array.cols", "array.dataflow", "run.precision"});
    CHECK(s.points[0].workload == "seed");
    CHECK(s.points[12].workload == "lenet5");
    // The last axis varies fastest; a tied axis sets both keys to the same value.
    const SweepPoint& p = s.points[7];  // rows/cols 8 (second), dataflow ws (first), fp16 (second)
    REQUIRE(p.overrides.size() == 4);
    CHECK(p.overrides[0].key == "array.rows");
    CHECK(p.overrides[0].value == "8");
    CHECK(p.overrides[1].value == "8");
    CHECK(p.overrides[2].value == "ws");
    CHECK(p.overrides[3].value == "fp16");
    std::set<std::string> ids;
    for (size_t i = 0; i < s.points.size(); ++i) {
        CHECK(s.points[i].index == i);
        ids.insert(s.points[i].id);
    }
    CHECK(ids.size() == s.points.size());
}

TEST_CASE("point ids are stable across loads and independent of position", "[sweep]") {
    const SweepSpec a = load("grid", kGrid);
    const SweepSpec b = load("grid", kGrid);
    for (size_t i = 0; i < a.points.size(); ++i) CHECK(a.points[i].id == b.points[i].id);
    // Adding a value to an axis moves points but keeps the ids of the ones that stay.
    std::string more = kGrid;
    more.replace(more.find("[4, 8]"), 6, "[2, 4, 8]");
    const SweepSpec c = load("grid_more", more);
    std::set<std::string> ids;
    for (const SweepPoint& p : c.points) ids.insert(p.id);
    for (const SweepPoint& p : a.points) CHECK(ids.count(p.id) == 1);
}

TEST_CASE("a point's design is the base with `set` and its own values applied", "[sweep]") {
    const SweepSpec s = load("grid", kGrid);
    const SweepPoint& p = s.points[4];  // rows/cols 4, dataflow is, int8
    const NpuConfig c = parse_design(point_design_yaml(s, p), "point.yaml", test::energy_dir());
    CHECK(c.rows == 4);
    CHECK(c.cols == 4);
    CHECK(c.dataflow == Dataflow::InputStationary);
    CHECK(c.dram.bandwidth_gbps == 32);
    CHECK(point_precision(s, p) == "int8");
    CHECK(point_precision(s, s.points[5]) == "fp16");
    CHECK(point_batch(s, p) == 1);
}

TEST_CASE("an explicit list of points", "[sweep]") {
    const SweepSpec s = load("list", R"(name: list
base: gemmini
workloads: [seed]
batch: 2
points:
  - {array.rows: 8, array.cols: 32}
  - {dram.type: hbm2, dram.bandwidth_gbps: 256}
  - {run.batch: 4}
)");
    REQUIRE(s.points.size() == 3);
    CHECK(s.axis_keys ==
          std::vector<std::string>{"array.rows", "array.cols", "dram.type", "dram.bandwidth_gbps", "run.batch"});
    const NpuConfig c = parse_design(point_design_yaml(s, s.points[0]), "p.yaml", test::energy_dir());
    CHECK(c.rows == 8);
    CHECK(c.cols == 32);
    CHECK(point_batch(s, s.points[0]) == 2);
    CHECK(point_batch(s, s.points[2]) == 4);
}

TEST_CASE("the shipped ResNet-18 sweep has 45 points, all valid designs", "[sweep]") {
    const SweepSpec s = load_sweep(test::source_dir() + "/configs/sweeps/resnet18_arrays.yaml", test::arch_dir(),
                                   test::models_dir(), test::energy_dir(), 100000);
    REQUIRE(s.points.size() == 45);
    for (const SweepPoint& p : s.points) {
        INFO(p.id);
        CHECK_NOTHROW(parse_design(point_design_yaml(s, p), "p.yaml", test::energy_dir()));
    }
}

TEST_CASE("sweep errors name the file and key, before any point runs", "[sweep][errors]") {
    struct Case {
        std::string from, to, expect;
    };
    const Case cases[] = {
        {"name: grid\n", "", "name: missing required key"},
        {"base: tiny_4x4", "base: nowhere", "nowhere"},
        {"workloads: [seed, lenet5]", "workloads: [seed, nomodel]", "nomodel"},
        {"workloads: [seed, lenet5]", "workloads: []", "workloads: list at least one workload"},
        {"name: grid", "name: grid\nbatches: 2", "batches: unknown key"},
        {"array.dataflow: [ws, os, is]", "array.dataflow: []", "axes.array.dataflow: expected a non-empty list"},
        {"array.dataflow: [ws, os, is]", "array.dataflow: [[ws]]", "axes.array.dataflow: expected a string"},
        {"array.dataflow: [ws, os, is]", "array.dataflo: [ws]", "sweep key 'array.dataflo' is not a design key"},
        {"array.dataflow: [ws, os, is]", "clock_mhz.x: [1]",
         "sweep key 'clock_mhz.x' goes through a value that is not a mapping"},
        {"array.dataflow: [ws, os, is]", "array.dataflow: ['[ws']", "sweep key 'array.dataflow' = '[ws'"},
        {"run.precision: [int8, fp16]", "run.precision: [int4]",
         "run.precision: expected int8, fp16, bf16 or fp32, got 'int4'"},
        {"run.precision: [int8, fp16]", "run.batch: [0]", "run.batch: expected an integer in [1, 1000000], got '0'"},
        {"run.precision: [int8, fp16]", "run.batch: [two]", "run.batch: expected an integer"},
        {"run.precision: [int8, fp16]", "run.seed: [1]", "unknown run option 'run.seed'"},
        {"run.precision: [int8, fp16]", "run.prune: [none, 5:4]", "run.prune: '5:4' is not a pruning"},
        {"run.precision: [int8, fp16]", "run.prune: [2:4, 0.5]",
         "run.prune: '0.5' is magnitude pruning, which needs the weights' values: give `mode: functional`"},
        {"dram.bandwidth_gbps: 32", "dram.bandwidth_gbps: -1", "`set` makes the base design invalid"},
        {"dram.bandwidth_gbps: 32", "run.batch: 2", "set.run.batch: run options go in `precision` and `batch`"},
        {"axes:", "points: [{array.rows: 4}]\naxes:", "give either `axes` (a grid) or `points` (a list)"},
        {"name: grid", "name: grid\nmode: fast", "mode: expected timing or functional"},
    };
    for (const Case& c : cases) {
        INFO(c.from << " -> " << c.to);
        std::string text = kGrid;
        const size_t at = text.find(c.from);
        REQUIRE(at != std::string::npos);
        text.replace(at, c.from.size(), c.to);
        REQUIRE_THROWS_WITH(load("bad", text), Contains(c.expect) && Contains("bad.yaml"));
    }
}

TEST_CASE("run.prune sweeps the pruning: none is dense, magnitude pruning needs a functional sweep", "[sweep]") {
    std::string text = kGrid;
    text.replace(text.find("run.precision: [int8, fp16]"), 27, "array.sparsity: [none, nm]\n  run.prune: [none, 2:4]");
    const SweepSpec timing = load("prune", text);
    REQUIRE(timing.points.size() == 2 * 2 * 3 * 2 * 2);
    CHECK(point_prune(timing.points[0]).empty());  // none
    CHECK(point_prune(timing.points[1]) == "2:4");
    CHECK(timing.points[3].overrides[3].value == "nm");
    text.replace(text.find("[none, 2:4]"), 11, "[none, 0.5, global:0.2]");
    CHECK_THROWS_WITH(load("prune", text), Contains("prune.yaml: run.prune: '0.5' is magnitude pruning"));
    const SweepSpec functional = load("prune", "mode: functional\n" + text);
    CHECK(point_prune(functional.points[2]) == "global:0.2");
}

TEST_CASE("a sweep larger than --max-points is refused before it expands", "[sweep][errors]") {
    CHECK_THROWS_WITH(load("grid", kGrid, 23), Contains("raise --max-points") && Contains("grid.yaml"));
    CHECK_NOTHROW(load("grid", kGrid, 24));
    // 10^12 points: refused while expanding, without allocating them.
    std::string huge = "name: huge\nbase: tiny_4x4\nworkloads: [seed]\naxes:\n";
    const char* keys[] = {"array.rows", "array.cols", "clock_mhz", "vector.lanes"};
    for (const char* key : keys) {
        huge += std::string("  ") + key + ": [";
        for (int i = 1; i <= 1000; ++i) huge += std::to_string(i) + (i < 1000 ? ", " : "]\n");
    }
    CHECK_THROWS_WITH(load("huge", huge), Contains("more than 100000 points"));
}

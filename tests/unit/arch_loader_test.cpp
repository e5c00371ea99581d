#include <catch2/catch.hpp>

#include <cmath>
#include <regex>

#include "common/error.h"
#include "sim/config/arch_loader.h"
#include "sim/config/data_paths.h"
#include "test_designs.h"
#include "test_paths.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

NpuConfig parse(const std::string& text) { return parse_design(text, "test.yaml", test::energy_dir()); }

// The test design with the first occurrence of `from` replaced by `to`.
std::string edit(const std::string& from, const std::string& to) {
    return test::replace_once(test::kDesignYaml, from, to);
}

}  // namespace

TEST_CASE("a valid design loads with its derived values", "[config]") {
    const NpuConfig c = parse(test::kDesignYaml);
    CHECK(c.rows == 8);
    CHECK(c.cols == 8);
    CHECK(c.dataflow == Dataflow::WeightStationary);
    CHECK(c.unified.size_bytes == 64 * 1024);
    CHECK(c.accumulator_depth() == 16 * 1024 / (8 * 4));
    CHECK(c.dram.latency_ns == 100.0);  // lpddr4 preset
    CHECK(c.dram.energy_pj_per_bit == 8.0);
    CHECK(c.dram.burst_bytes == 64);  // DramConfig's default
    CHECK(c.dram.channels == 2);
    CHECK(c.unified.banks == 4);
    CHECK(c.accumulator.banks == 2);
    CHECK(c.queue_depth == 32);  // NpuConfig's default
    CHECK(
        parse(test::replace_once(test::kDesignYaml, "clock_mhz: 500", "clock_mhz: 500\nqueue_depth: 4")).queue_depth ==
        4);
    CHECK(c.memory.residency);  // MemoryPolicy's defaults
    CHECK(c.memory.resident_fraction == 0.5);
    CHECK(c.memory.tiling_slack == 0.03);
    const NpuConfig off =
        parse(test::replace_once(test::kDesignYaml, "clock_mhz: 500",
                                 "clock_mhz: 500\nmemory: {residency: false, resident_fraction: 0.25, "
                                 "tiling_slack: 0}"));
    CHECK_FALSE(off.memory.residency);
    CHECK(off.memory.resident_fraction == 0.25);
    CHECK(off.memory.tiling_slack == 0.0);
    CHECK(c.energy.scale_to_design == Approx(0.174));
    CHECK(c.peak_tops() == Approx(2.0 * 64 * 500e6 / 1e12));
}

TEST_CASE("every shipped design loads", "[config]") {
    const std::vector<std::string> names = yaml_stems(test::arch_dir());
    CHECK(names.size() >= 8);
    for (const std::string& name : names) {
        INFO(name);
        CHECK_NOTHROW(load_design(test::arch_file(name), test::energy_dir()));
    }
    const NpuConfig tpu = load_design(test::arch_file("tpu_v1"), test::energy_dir());
    CHECK(tpu.rows == 256);
    CHECK(tpu.clock_mhz == 700);
    CHECK(tpu.unified.size_bytes == 24 << 20);
    CHECK(tpu.accumulator.size_bytes == 4 << 20);
    CHECK(tpu.dram.bandwidth_gbps == 34);
    CHECK(tpu.peak_tops() == Approx(91.75).epsilon(0.001));
}

TEST_CASE("design errors name file, line and key path", "[config][errors]") {
    struct Case {
        std::string from, to, expect;
    };
    const Case cases[] = {
        // unknown keys
        {"clock_mhz: 500", "clock_mhz: 500\nclok: 1", "test.yaml:5: clok: unknown key"},
        {"{rows: 8,", "{rowz: 8,", "array.rows: missing required key"},
        {"lanes: 8}", "lanes: 8, width: 4}", "vector.width: unknown key"},
        {"clock_mhz: 500", "clock_mhz: 500\nqueue_depth: 0", "queue_depth: "},
        {"clock_mhz: 500", "clock_mhz: 500\nqueue_depth: 100000", "queue_depth: 100000 entries: at most 65536"},
        {"unified:", "unifed:", "buffers.unifed: unknown key"},
        {"clock_mhz: 500", "clock_mhz: 500\nmemory: {residency: maybe}", "memory.residency: expected true or false"},
        {"clock_mhz: 500", "clock_mhz: 500\nmemory: {resident_fraction: 1}",
         "memory.resident_fraction: 1: the share of the buffer kept for resident tensors must lie strictly between 0 "
         "and 1"},
        {"clock_mhz: 500", "clock_mhz: 500\nmemory: {resident_fraction: 0}", "memory.resident_fraction: 0: the share"},
        {"clock_mhz: 500", "clock_mhz: 500\nmemory: {keep: all}", "memory.keep: unknown key"},
        {"clock_mhz: 500", "clock_mhz: 500\nmemory: {tiling_slack: 1}",
         "memory.tiling_slack: 1: the share of the fastest tiling's estimated cycles a tiling moving fewer DRAM bytes "
         "may exceed must lie in [0, 1)"},
        {"clock_mhz: 500", "clock_mhz: 500\nmemory: {tiling_slack: -0.01}", "memory.tiling_slack: -0.01: the share"},
        // missing keys
        {"clock_mhz: 500\n", "", "clock_mhz: missing required key"},
        {"vector: {lanes: 8}\n", "", "vector: missing required key"},
        {"bandwidth_gbps: 8, ", "", "dram.bandwidth_gbps: missing required key"},
        // wrong types
        {"rows: 8", "rows: eight", "array.rows: expected an integer, got 'eight'"},
        {"rows: 8", "rows: 8.5", "array.rows: expected an integer, got '8.5'"},
        {"clock_mhz: 500", "clock_mhz: fast", "clock_mhz: expected a number"},
        {"array: {rows", "array: [1, 2]\nx: {rows", "array: expected a mapping"},
        // impossible values
        {"rows: 8", "rows: 0", "array.rows: must be >= 1 (got 0)"},
        {"cols: 8", "cols: -4", "array.cols: must be >= 1 (got -4)"},
        {"clock_mhz: 500", "clock_mhz: 0", "clock_mhz: must be > 0"},
        {"size_kib: 64", "size_kib: 0", "buffers.unified.size_kib: must be >= 1"},
        {"banks: 4", "banks: 3", "buffers.unified.banks: 3 banks do not divide 64 KiB"},
        {"bandwidth_gbps: 8", "bandwidth_gbps: -1", "dram.bandwidth_gbps: must be > 0"},
        {"channels: 2", "channels: 0", "dram.channels: must be >= 1"},
        {"lanes: 8", "lanes: 0", "vector.lanes: must be >= 1"},
        {"dataflow: ws", "dataflow: rs", "array.dataflow: unknown dataflow 'rs' (ws, os, is)"},
        {"precisions: [int8]", "precisions: [int4]", "precisions: unknown precision 'int4'"},
        {"precisions: [int8]", "precisions: []", "precisions: list at least one precision"},
        {"type: lpddr4", "type: ddr9", "dram.type: unknown DRAM type 'ddr9'"},
        {"energy_table: horowitz_45nm", "energy_table: nowhere", "technology.energy_table: no energy table 'nowhere'"},
        {"node_nm: 16", "node_nm: 3", "technology.node_nm: energy table 'horowitz_45nm' has no scaling for 3 nm"},
        // buffers too small for one tile
        {"accumulator: {size_kib: 16", "accumulator: {size_kib: 0", "accumulator.size_kib: must be >= 1"},
        {"unified: {size_kib: 64, banks: 4, bytes_per_cycle: 32}",
         "weight: {size_kib: 64, banks: 4, bytes_per_cycle: 32}",
         "buffers: operands without a dedicated buffer (ifmap, weight, output) need a unified buffer"},
    };
    for (const Case& c : cases) {
        INFO(c.from << " -> " << c.to);
        REQUIRE_THROWS_AS(parse(edit(c.from, c.to)), ConfigError);
        REQUIRE_THROWS_WITH(parse(edit(c.from, c.to)), Contains(c.expect) && Contains("test.yaml:"));
    }
}

TEST_CASE("a banked DRAM takes its part's timings, bandwidth and burst", "[config][dram]") {
    const std::string banked = "dram: {type: lpddr4, model: banked, preset: ddr4_3200, channels: 2}";
    const NpuConfig c = parse(edit("dram: {type: lpddr4, bandwidth_gbps: 8, channels: 2}", banked));
    CHECK(c.dram.model == DramModel::Banked);
    CHECK(c.dram.preset.name == "ddr4_3200");
    CHECK(c.dram.page_policy == PagePolicy::Open);
    CHECK(c.dram.bandwidth_gbps == Approx(51.2));
    CHECK(c.dram.burst_bytes == 64);
    CHECK(c.dram.latency_ns == Approx(44 * 0.625));
    CHECK(parse(test::kDesignYaml).dram.model == DramModel::Simple);
    const std::string base = "dram: {type: lpddr4, bandwidth_gbps: 8, channels: 2}";
    struct Case {
        std::string to, expect;
    };
    const Case cases[] = {
        {"dram: {type: lpddr4, model: banked, channels: 2}", "dram.preset: missing required key"},
        {"dram: {type: lpddr4, model: banked, preset: ddr9}", "dram.preset: unknown DRAM preset 'ddr9' (ddr3_1600"},
        {"dram: {type: lpddr4, model: fancy, bandwidth_gbps: 8}", "dram.model: unknown DRAM model 'fancy'"},
        {"dram: {type: lpddr4, model: banked, preset: hbm2, bandwidth_gbps: 64}",
         "dram.bandwidth_gbps: a banked hbm2 DRAM of 1 channels has 32 GB/s"},
        {"dram: {type: lpddr4, model: banked, preset: hbm2, latency_ns: 50}", "dram.latency_ns: a banked DRAM's"},
        {"dram: {type: lpddr4, model: banked, preset: hbm2, burst_bytes: 32}",
         "dram.burst_bytes: hbm2's bursts are 64"},
        {"dram: {type: lpddr4, model: banked, preset: hbm2, page_policy: lazy}",
         "dram.page_policy: 'lazy': open or closed"},
        {"dram: {type: lpddr4, model: banked, preset: hbm2, queue_depth: 0}",
         "dram.queue_depth: 0 is outside [1, 1024]"},
        {"dram: {type: lpddr4, bandwidth_gbps: 8, preset: hbm2}", "dram.preset: only with model: banked"},
    };
    for (const Case& k : cases) {
        INFO(k.to);
        REQUIRE_THROWS_WITH(parse(edit(base, k.to)), Contains(k.expect) && Contains("test.yaml:"));
    }
}

TEST_CASE("a dedicated weight buffer smaller than two array folds is refused", "[config][errors]") {
    const std::string text = edit("  unified: {size_kib: 64, banks: 4, bytes_per_cycle: 32}",
                                  "  unified: {size_kib: 64, banks: 4, bytes_per_cycle: 32}\n"
                                  "  weight: {size_kib: 1, banks: 1, bytes_per_cycle: 32}");
    const std::string big = std::regex_replace(text, std::regex("rows: 8, cols: 8"), "rows: 32, cols: 32");
    REQUIRE_THROWS_WITH(parse(big), Contains("buffers.weight: 1 KiB cannot hold two 32x32 weight folds"));
}

TEST_CASE("a unified buffer too small for one tile of every operand is refused", "[config][errors]") {
    const std::string text =
        std::regex_replace(edit("size_kib: 64", "size_kib: 8"), std::regex("rows: 8, cols: 8"), "rows: 64, cols: 64");
    REQUIRE_THROWS_WITH(parse(text), Contains("test.yaml:6: buffers.unified: 8 KiB cannot hold one "
                                              "double-buffered tile of every operand it hosts"));
}

TEST_CASE("an accumulator without two rows is refused", "[config][errors]") {
    const std::string text = std::regex_replace(edit("size_kib: 64", "size_kib: 1024"), std::regex("rows: 8, cols: 8"),
                                                "rows: 8, cols: 4096");
    REQUIRE_THROWS_WITH(parse(text), Contains("accumulator") && Contains("fewer than two rows"));
}

TEST_CASE("design files that are missing or not YAML mappings", "[config][errors]") {
    REQUIRE_THROWS_WITH(load_design("/nonexistent.yaml", test::energy_dir()), Contains("cannot open"));
    REQUIRE_THROWS_WITH(parse("- a\n- b\n"), Contains("top level must be a mapping"));
    REQUIRE_THROWS_WITH(resolve_design("tpu_v9", test::arch_dir()),
                        Contains("unknown design 'tpu_v9'") && Contains("tpu_v1"));
}

TEST_CASE("SRAM energy interpolates Horowitz's points in log-log and scales with the node", "[config][energy]") {
    const NpuConfig c = parse(test::kDesignYaml);
    const double scale = c.energy.scale_to_design;
    CHECK(c.energy.sram_pj_per_64b_at(8) == Approx(10 * scale));
    CHECK(c.energy.sram_pj_per_64b_at(32) == Approx(20 * scale));
    CHECK(c.energy.sram_pj_per_64b_at(1024) == Approx(100 * scale));
    CHECK(c.energy.sram_pj_per_64b_at(16) == Approx(10 * std::sqrt(2.0) * scale));
    CHECK(c.energy.pe_mac_pj(Precision::Int8) == Approx(0.3 * 2.0 * scale));
    CHECK(c.energy.pe_mac_pj(Precision::Fp32) == Approx(4.6 * 2.0 * scale));
    CHECK(c.energy.pe_mac_pj(Precision::Fp16) == Approx(2.0 * 2.0 * scale));
    CHECK(c.energy.pe_mac_pj(Precision::Bf16) == Approx(1.5 * 2.0 * scale));  // a smaller multiplier
    CHECK(c.area.pe_bf16_um2 == 7260);
    CHECK(c.area.pe_bf16_um2 < c.area.pe_fp16_um2);
}

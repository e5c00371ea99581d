// The banked DRAM model on hand-worked access patterns (DDR4-3200 x8, one channel, open page,
// tCK 0.625 ns, 64-byte bursts, 8 KiB rows; tRCD = tRP = CL = 22, tRAS 52, tRC 74, tRRD_S 4,
// tRRD_L 8, tFAW 34, BL/2 = 4 clocks of data; 4 bank groups of 4 banks, 128 bursts per row).
// Consecutive bursts alternate bank groups; at() gives the address of a row's first burst.
#include <catch2/catch.hpp>

#include "arch/dram_timing.h"
#include "common/error.h"
#include "sim/config/dram_presets.h"
#include "test_paths.h"

using namespace npu;

namespace {

DramPreset preset(const std::string& name) {
    return load_dram_presets(test::source_dir() + "/configs/dram/jedec.yaml").at(name);
}

DramPreset ddr4_no_refresh() {
    DramPreset p = preset("ddr4_3200");
    p.refi = int64_t(1) << 40;  // patterns shorter than this see no refresh
    return p;
}

// The first byte of `row` of `bank` in `group` (one channel): burst ((row 4 + bank) 128) 4 + group.
uint64_t at(uint64_t group, uint64_t bank, uint64_t row) { return ((row * 4 + bank) * 128 * 4 + group) * 64; }

}  // namespace

TEST_CASE("the DRAM presets load with their sources, and bad ones are refused", "[dram]") {
    const auto presets = load_dram_presets(test::source_dir() + "/configs/dram/jedec.yaml");
    for (const char* name : {"ddr3_1600", "ddr4_3200", "lpddr4_3200", "hbm2"}) {
        INFO(name);
        REQUIRE(presets.count(name) == 1);
        CHECK_FALSE(presets.at(name).source.empty());
    }
    CHECK(presets.at("ddr4_3200").peak_gbps_per_channel() == Approx(25.6));
    CHECK(presets.at("ddr3_1600").peak_gbps_per_channel() == Approx(12.8));
    CHECK(presets.at("lpddr4_3200").peak_gbps_per_channel() == Approx(6.4));
    CHECK(presets.at("hbm2").peak_gbps_per_channel() == Approx(32.0));
    CHECK(presets.at("lpddr4_3200").burst_bytes() == 32);
}

TEST_CASE("banked DRAM: a row-hit stream runs at the bus's peak after one tRCD + CL", "[dram]") {
    // 1 MiB of reads: 16384 bursts of 4 data clocks back to back, alternating bank groups (tCCD_S
    // 4 = the data time); every row change activates its bank long before its data is due, so
    // only the first access waits.
    BankedDramTiming dram(ddr4_no_refresh(), 1, PagePolicy::Open);
    dram.add(0, 1 << 20, false);
    CHECK(dram.serve(0.0) == Approx((22 + 22 + 16384 * 4) * 0.625));
    CHECK(dram.counts().reads == 16384);
    CHECK(dram.counts().row_hits == 16384 - 128);
    CHECK(dram.counts().row_misses == 16);      // the 16 banks' first rows
    CHECK(dram.counts().row_conflicts == 112);  // later rows of the same banks
    CHECK(dram.counts().activates == 128);
    // With refresh (tRFC 350 ns every 7.8 us) within 5% of the 25.6 GB/s peak.
    BankedDramTiming refreshing(preset("ddr4_3200"), 1, PagePolicy::Open);
    refreshing.add(0, 1 << 20, false);
    const double ns = refreshing.serve(0.0);
    const int64_t due = int64_t(ns / (12480 * 0.625));  // refreshes fall due while it runs
    CHECK(refreshing.counts().refreshes >= due - 1);
    CHECK(refreshing.counts().refreshes <= due);
    CHECK(refreshing.counts().refresh_ns == Approx(double(refreshing.counts().refreshes) * 350.0));
    const double gbps = double(1 << 20) / ns;
    CHECK(gbps > 0.95 * 25.6);
    CHECK(gbps < 25.6);
}

TEST_CASE("banked DRAM: a row conflict costs tRP + tRCD + CL, and a conflict stream one tRC each", "[dram]") {
    BankedDramTiming dram(ddr4_no_refresh(), 1, PagePolicy::Open);
    dram.add(0, 64, false);  // bank 0, row 0: ACT at 0, data done at 22 + 22 + 4
    CHECK(dram.serve(0.0) == Approx(48 * 0.625));
    // Long after: row 1 of bank 0 is a conflict: PRE, ACT, RD, data.
    dram.add(at(0, 0, 1), 64, false);
    CHECK(dram.serve(1000.0) == Approx(1000.0 + (22 + 22 + 22 + 4) * 0.625));
    CHECK(dram.counts().row_conflicts == 1);
    // Four rows of one bank back to back: the ACTs are tRC = 74 clocks apart (tRAS 52 holds the
    // row before its PRE, tRP 22 after), so the last data ends 3 tRC + tRCD + CL + 4 after the first ACT.
    BankedDramTiming conflicts(ddr4_no_refresh(), 1, PagePolicy::Open);
    for (uint64_t row = 0; row < 4; ++row) conflicts.add(at(0, 0, row), 64, false);
    CHECK(conflicts.serve(0.0) == Approx((3 * 74 + 22 + 22 + 4) * 0.625));
    CHECK(conflicts.counts().row_conflicts == 3);
}

TEST_CASE("banked DRAM: banks overlap their activations within tRRD and tFAW", "[dram]") {
    // Four rows in four bank groups: ACTs at 0, 4, 8, 12 (tRRD_S), data 44-48, 48-52, 52-56, 56-60.
    BankedDramTiming parallel(ddr4_no_refresh(), 1, PagePolicy::Open);
    for (uint64_t group = 0; group < 4; ++group) parallel.add(at(group, 0, 0), 64, false);
    CHECK(parallel.serve(0.0) == Approx(60 * 0.625));
    // A fifth bank (group 0 again, bank 1): its ACT waits for tFAW after the first, at 34; data
    // from 34 + 22 + 22 = 78 to 82.
    BankedDramTiming five(ddr4_no_refresh(), 1, PagePolicy::Open);
    for (uint64_t group = 0; group < 4; ++group) five.add(at(group, 0, 0), 64, false);
    five.add(at(0, 1, 0), 64, false);
    CHECK(five.serve(0.0) == Approx(82 * 0.625));
    // Two channels split the bursts: the same 1 MiB stream in half the time (plus one latency).
    BankedDramTiming two(ddr4_no_refresh(), 2, PagePolicy::Open);
    two.add(0, 1 << 20, false);
    CHECK(two.serve(0.0) == Approx((22 + 22 + 8192 * 4) * 0.625));
}

TEST_CASE("banked DRAM: refresh takes tRFC every tREFI", "[dram]") {
    const DramPreset p = preset("ddr4_3200");
    BankedDramTiming dram(p, 1, PagePolicy::Open);
    // An access just after the first refresh falls due waits for it: tREFI + tRFC, then ACT,
    // RD and data.
    const double at = double(p.refi) * p.tck_ns + 1.0;
    dram.add(0, 64, false);
    CHECK(dram.serve(at) == Approx(double(p.refi + p.rfc + 22 + 22 + 4) * p.tck_ns));
    CHECK(dram.counts().refreshes == 1);
    CHECK(dram.counts().refresh_ns == Approx(350.0));
    // Ten tREFI later, ten more.
    dram.add(64, 64, false);
    dram.serve(at + 10.0 * double(p.refi) * p.tck_ns);
    CHECK(dram.counts().refreshes == 11);
}

TEST_CASE("banked DRAM: closed page, writes and energy from the command counts", "[dram]") {
    const DramPreset p = ddr4_no_refresh();
    // Closed page: each of two bursts of one row activates it again (tRC apart).
    BankedDramTiming closed(p, 1, PagePolicy::Closed);
    closed.add(at(0, 0, 0), 64, false);
    closed.add(at(0, 0, 0) + 4 * 64, 64, false);  // the row's next burst in group 0
    CHECK(closed.serve(0.0) == Approx((74 + 22 + 22 + 4) * 0.625));
    CHECK(closed.counts().activates == 2);
    CHECK(closed.counts().row_hits == 0);
    // A write then a read of the same row: the read waits tWTR_L (12) after the write's data,
    // which ends CWL (16) + 4 after its column command at 22.
    BankedDramTiming mixed(p, 1, PagePolicy::Open);
    mixed.add(0, 64, true);
    mixed.add(4 * 64, 64, false);
    CHECK(mixed.serve(0.0) == Approx((22 + 16 + 4 + 12 + 22 + 4) * 0.625));
    const DramCounts& c = mixed.counts();
    CHECK(c.energy_pj(p) == Approx(p.act_pj + p.write_pj + p.read_pj));
    // Bank 0 busy from the ACT to the write's data end (42), then during the read (54 to 80).
    CHECK(mixed.bank_busy_ns()[0] == Approx((42 + 26) * 0.625));
}

// The stats registry: counters registered once by hierarchical name, indexed by tag.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "arch/stats_registry.h"

using namespace npu;

TEST_CASE("stats counters are registered once and indexed by tag", "[stats]") {
    StatsRegistry stats;
    TaggedCounter& busy = stats.add("npu.array.busy_cycles", "cycles", "busy");
    TaggedCounter& macs = stats.add("npu.array.macs", "macs", "work");
    CHECK_THROWS_AS(stats.add("npu.array.macs", "macs", "again"), std::logic_error);
    stats.reset(3);
    busy.add(0, 5);
    busy.add(2, 7);
    busy.add(2, 1);
    macs.add(1, 40);
    // References stay valid as more counters are registered.
    for (int i = 0; i < 100; ++i) stats.add("npu.extra" + std::to_string(i), "bytes", "");
    busy.add(1, 2);
    CHECK(stats.at("npu.array.busy_cycles").at(0) == 5);
    CHECK(stats.at("npu.array.busy_cycles").at(1) == 2);
    CHECK(stats.at("npu.array.busy_cycles").at(2) == 8);
    CHECK(stats.at("npu.array.busy_cycles").at(9) == 0);  // past the last tag
    CHECK(stats.at("npu.array.busy_cycles").total() == 15);
    CHECK(stats.at("npu.array.macs").total() == 40);
    CHECK(stats.has("npu.array.macs"));
    CHECK_FALSE(stats.has("npu.array.folds"));
    CHECK_THROWS_WITH(stats.at("npu.array.folds"), "no stats counter named npu.array.folds");
    REQUIRE(stats.entries().size() == 102);
    CHECK(stats.entries()[0].name == "npu.array.busy_cycles");
    CHECK(stats.entries()[1].unit == "macs");
    stats.reset(2);  // a new program: every counter cleared and resized
    CHECK(stats.at("npu.array.busy_cycles").total() == 0);
    CHECK(stats.at("npu.array.busy_cycles").tags() == 2);
}

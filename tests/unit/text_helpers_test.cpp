// Text helpers of the command line and the reports: "did you mean" (which misspellings get a
// suggestion and which do not) and CSV quoting.
#include <catch2/catch.hpp>

#include "common/csv_text.h"
#include "common/spelling.h"

using npu::closest_spelling;
using npu::edit_distance;

TEST_CASE("edit distance counts insertions, deletions and substitutions", "[unit][spelling]") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("run", "runn") == 1);
    CHECK(edit_distance("--archh", "--arch") == 1);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("abc", "") == 3);
}

TEST_CASE("a suggestion only for a likely typo", "[unit][spelling]") {
    const std::vector<std::string> commands{"run", "explain", "sweep", "report", "train", "compare", "gpu", "list"};
    CHECK(closest_spelling("runn", commands) == "run");
    CHECK(closest_spelling("exlpain", commands) == "explain");  // two substitutions
    CHECK(closest_spelling("comp", commands) == "compare");     // the prefix of one command
    CHECK(closest_spelling("frobnicate", commands).empty());
    CHECK(closest_spelling("x", commands).empty());
    // Short words allow one edit: "gxx" is two from "gpu" and suggests nothing.
    CHECK(closest_spelling("gxx", commands).empty());
    // A prefix of two candidates is ambiguous: no guess.
    CHECK(closest_spelling("--timing-", {"--timing-only", "--timing-model"}).empty());
}

TEST_CASE("CSV fields are quoted as RFC 4180 says, never rewritten", "[unit][csv]") {
    CHECK(npu::csv_field("conv1") == "conv1");
    CHECK(npu::csv_field("") == "");
    CHECK(npu::csv_field("a, b") == "\"a, b\"");
    CHECK(npu::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(npu::csv_field("two\nlines") == "\"two\nlines\"");
}

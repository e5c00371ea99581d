// Every output npusim writes is checked: a file that cannot be written, a directory where a file
// belongs, two outputs on one file, a full disk or a closed stdout each fail with one line and a
// non-zero status, before the work where that can be known. Progress goes to a terminal only.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_helpers.h"
#include "test_paths.h"
#include "test_skip.h"

using namespace npu::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

// npusim with stdout thrown away, so that only its errors come back.
Result errors_of(const std::string& args) {
    return shell("{ " + std::string(NPUSIM_BINARY) + " " + args + " > /dev/null; }");
}

const std::string kRun = "run --arch tpu_v1 --workload lenet5 --timing-only ";

}  // namespace

TEST_CASE("outputs that cannot be written are refused before the run, naming the option", "[e2e][errors]") {
    struct Case {
        std::string args;
        int status;
        std::string message;
    };
    const std::string a = temp_path("a.json");
    fs::remove(a);
    const Case cases[] = {
        {kRun + "--json /nonexistent/dir/x.json", 1,
         "--json /nonexistent/dir/x.json: cannot open for writing (no folder /nonexistent/dir)"},
        {kRun + "--csv " + fs::temp_directory_path().string(), 1, "is a directory, not a file"},
        {kRun + "--json " + a + " --csv " + a, 2, "--csv " + a + ": the same file as --json"},
        {kRun + "--json " + a + " --trace " + fs::path(a).parent_path().string() + "/./a.json", 2,
         "the same file as --json"},
        {kRun + "--json - --csv -", 2, "--csv - (stdout): the same file as --json"},
        {"train --timing-only --model lenet5 --json -", 2, "--json -: this command prints its own report"},
        {"explain --arch tiny_4x4 --workload seed --quiet --vcd /nonexistent/w.vcd", 1,
         "--vcd /nonexistent/w.vcd: cannot open for writing"},
        {"explain --arch tiny_4x4 --workload seed --html /nonexistent/w.html", 1, "--html /nonexistent/w.html"},
        {"sweep " + source_dir() + "/configs/sweeps/resnet18_arrays.yaml --out /dev/null", 1,
         "--out /dev/null: is a file, not a folder"},
        {"report /nonexistent/results --out /nonexistent/r.html", 1, "--out /nonexistent/r.html"},
    };
    for (const Case& c : cases) {
        INFO(c.args);
        const Result r = c.args.rfind("explain", 0) == 0 ? npusim_explain(c.args.substr(8)) : npusim(c.args);
        CHECK(r.status == c.status);
        CHECK_THAT(r.out, StartsWith("npusim: error: ") && Contains(c.message));
        CHECK(count_lines(r.out) == 1);
    }
    CHECK_FALSE(fs::exists(a));  // nothing was written, not even an empty file
}

TEST_CASE("a write that does not reach the file or stdout fails the run", "[e2e][errors]") {
    for (const std::string& args :
         std::vector<std::string>{kRun + "--csv /dev/full", kRun + "--json /dev/full",
                                  "explain --arch tiny_4x4 --workload seed --vcd /dev/full"}) {
        INFO(args);
        const Result r = errors_of(args);
        CHECK(r.status == 1);
        CHECK_THAT(r.out, Contains("npusim: error: /dev/full: write failed"));
    }
    // A report that cannot reach stdout: status 1, not a silent 0.
    const Result r = shell("{ " + std::string(NPUSIM_BINARY) + " list > /dev/full; }");
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("npusim: error: stdout: write failed"));
}

TEST_CASE("run --json - writes the report to stdout instead of the table", "[e2e]") {
    const Result r = shell(std::string(NPUSIM_BINARY) + " " + kRun + "--json - 2>/dev/null");
    REQUIRE(r.status == 0);
    const nlohmann::json j = nlohmann::json::parse(r.out);  // stdout is the JSON and nothing else
    CHECK(j["workload"] == "lenet5");
    CHECK(j["total"]["cycles"].get<int64_t>() > 0);
}

TEST_CASE("explain --vcd writes exactly the path given, the same bytes every run", "[e2e][explain]") {
    const std::string first = temp_path("wave.txt"), second = temp_path("wave2.txt");
    for (const std::string& path : {first, second}) {
        fs::remove(path);
        REQUIRE(npusim_explain("--arch tiny_4x4 --workload seed --quiet --vcd " + path).status == 0);
        CHECK(fs::exists(path));
        CHECK_FALSE(fs::exists(path + ".vcd"));
    }
    const std::string text = read(first);
    CHECK_THAT(text, Contains("$enddefinitions"));
    CHECK_THAT(text, !Contains("$date"));  // deterministic: no time stamp
    CHECK(text == read(second));
}

TEST_CASE("on a terminal a run shows its preparation and simulation progress; --quiet and pipes show none",
          "[e2e][progress]") {
    if (shell("command -v script").status != 0) NPUSIM_SKIP("no script(1) to give the run a terminal");
    // script(1) runs the command on a pseudo-terminal: stderr is a TTY there.
    const std::string run = std::string(NPUSIM_BINARY) + " run --arch edge_32x32 --workload lenet5";
    Result r = shell("script -qec '" + run + " > /dev/null' /dev/null");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("preparing lenet5: generating weights, layer ") &&
                          Contains("preparing lenet5: calibrating INT8, layer ") && Contains("simulating layer ") &&
                          Contains("done in "));
    r = shell("script -qec '" + std::string(NPUSIM_BINARY) +
              " run --arch train_128_fp16 --precision fp16 --workload lenet5 > /dev/null' /dev/null");
    CHECK_THAT(r.out, Contains("preparing lenet5: converting weights, layer "));
    r = shell("script -qec '" + run + " --quiet > /dev/null' /dev/null");
    CHECK_THAT(r.out, !Contains("preparing") && !Contains("simulating layer"));
    r = npusim("run --arch edge_32x32 --workload lenet5");  // stderr a pipe
    CHECK_THAT(r.out, !Contains("preparing") && !Contains("simulating layer"));
}

// `npusim sweep` and `npusim report` end to end: parallel points, failures recorded, resume,
// MPI ranks giving the same results as a local run, and the HTML page.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_helpers.h"
#include "test_paths.h"
#include "test_skip.h"

using namespace npu::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// 2 workloads x 2 sizes x 3 unified-buffer sizes, one of which (0 KiB) is an invalid design.
std::string small_sweep() {
    const std::string path = temp_path("small_sweep.yaml");
    std::ofstream(path) << R"(name: small
base: tiny_4x4
workloads: [seed, lenet5]
axes:
  array.rows+array.cols: [4, 8]
  buffers.unified.size_kib: [16, 64, 0]
)";
    return path;
}

std::string fresh_dir(const std::string& name) {
    const std::string dir = temp_path(name);
    fs::remove_all(dir);
    return dir;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("a sweep runs every point in parallel, records failures and writes CSV and JSON", "[e2e][sweep]") {
    const std::string out = fresh_dir("small.sweep");
    const Result r = npusim("sweep " + small_sweep() + " --out " + out + " --jobs 2");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("12 points, 12 to run") && Contains("12 rows (4 failed)"));
    const std::vector<std::string> csv = lines_of(read(out + "/results.csv"));
    REQUIRE(csv.size() == 13);
    CHECK_THAT(csv[0], Contains("index,id,workload,array.rows,array.cols,buffers.unified.size_kib,status,latency_ms") &&
                           Contains("energy_mj,mac_mj,sram_mj,dram_mj") && Contains("area_mm2,dram_read_mb"));
    CHECK(csv[1].rfind("0,", 0) == 0);
    CHECK_THAT(csv[1], Contains(",seed,4,4,16,ok,"));
    CHECK_THAT(csv[3], Contains(",seed,4,4,0,error,") && Contains("size_kib: must be >= 1"));
    const auto json = nlohmann::json::parse(read(out + "/results.json"));
    REQUIRE(json["rows"].size() == 12);
    const auto& ok = json["rows"][0];
    CHECK(ok["status"] == "ok");
    CHECK(ok["cycles"] == 85);  // the seed on a 4x4 ws array, as `npusim run` reports it
    CHECK(ok["area_mm2"].get<double>() == Approx(0.471394).epsilon(1e-4));
    CHECK(ok["energy_mj"].get<double>() ==
          Approx(ok["mac_mj"].get<double>() + ok["sram_mj"].get<double>() + ok["dram_mj"].get<double>() +
                 ok["vector_mj"].get<double>() + ok["static_mj"].get<double>()));
    // A bigger array is faster on LeNet-5, and larger.
    const auto& lenet4 = json["rows"][6];
    const auto& lenet8 = json["rows"][9];
    REQUIRE(lenet4["workload"] == "lenet5");
    CHECK(lenet8["cycles"].get<int64_t>() < lenet4["cycles"].get<int64_t>());
    CHECK(lenet8["area_mm2"].get<double>() > lenet4["area_mm2"].get<double>());
    CHECK(fs::exists(out + "/points/" + ok["id"].get<std::string>() + ".json"));
}

TEST_CASE("re-running a sweep resumes: recorded points are skipped, failed ones only when asked", "[e2e][sweep]") {
    const std::string out = fresh_dir("resume.sweep");
    REQUIRE(npusim("sweep " + small_sweep() + " --out " + out + " --jobs 2").status == 0);
    const std::string first = read(out + "/results.csv");
    Result r = npusim("sweep " + small_sweep() + " --out " + out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("0 to run (12 already recorded)"));
    CHECK(read(out + "/results.csv") == first);
    // A lost record (an interrupted sweep) is run again, and only it.
    const auto json = nlohmann::json::parse(read(out + "/results.json"));
    fs::remove(out + "/points/" + json["rows"][4]["id"].get<std::string>() + ".json");
    r = npusim("sweep " + small_sweep() + " --out " + out);
    CHECK_THAT(r.out, Contains("1 to run (11 already recorded)"));
    CHECK(read(out + "/results.csv") == first);
    r = npusim("sweep " + small_sweep() + " --out " + out + " --retry-failed");
    CHECK_THAT(r.out, Contains("4 to run (8 already recorded)") && Contains("(4 failed)"));
}

TEST_CASE("sweep command errors are one line and a non-zero exit", "[e2e][sweep][errors]") {
    Result r = npusim("sweep " + temp_path("no_such_sweep.yaml"));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("no_such_sweep.yaml"));
    CHECK(count_lines(r.out) == 1);
    r = npusim("sweep " + small_sweep() + " --jobs 0");
    CHECK(r.status == 2);
    CHECK_THAT(r.out, Contains("--jobs: must be >= 1"));
    r = npusim("sweep " + small_sweep() + " --max-points 5");
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("more than 5 points (raise --max-points)"));
    r = npusim("report " + temp_path("no_such.sweep"));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("no_such.sweep"));
    CHECK(count_lines(r.out) == 1);
    // Results not written by npusim sweep: one line naming the file and what is missing.
    const std::string odd = fresh_dir("odd.sweep");
    fs::create_directories(odd);
    for (const std::string text : {R"({"rows": [{"index": 0}], "sweep": "x", "points": 1})", "[1, 2]", "garbage"}) {
        INFO(text);
        std::ofstream(odd + "/results.json") << text;
        r = npusim("report " + odd);
        CHECK(r.status == 1);
        CHECK(count_lines(r.out) == 1);
        CHECK_THAT(r.out, Contains("odd.sweep/results.json"));
    }
}

TEST_CASE("under mpirun with 2 ranks the shipped sweep's results equal a local run's", "[e2e][sweep][mpi]") {
    if (npusim("--version").out.find("MPI sweeps: yes") == std::string::npos)
        NPUSIM_SKIP("npusim was built without MPI (libopenmpi-dev)");
    if (shell("command -v mpirun").status != 0) NPUSIM_SKIP("mpirun is not installed (openmpi-bin)");
    const std::string sweep = source_dir() + "/configs/sweeps/resnet18_arrays.yaml";
    const std::string local = fresh_dir("local.sweep"), mpi = fresh_dir("mpi.sweep");
    REQUIRE(npusim("sweep " + sweep + " --out " + local + " --jobs 2").status == 0);
    // OpenMPI keeps allocations until exit by design: under the asan preset, LeakSanitizer would
    // report them, so leak checking is off for this one command (ASan's other checks stay on).
    const Result r = shell("ASAN_OPTIONS=detect_leaks=0 mpirun --allow-run-as-root --oversubscribe -np 2 " +
                           std::string(NPUSIM_BINARY) + " sweep " + sweep + " --out " + mpi + " --jobs 1");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("over 2 MPI ranks") && Contains("45 rows (0 failed)"));
    const std::string csv = read(local + "/results.csv");
    CHECK(count_lines(csv) == 46);
    CHECK(read(mpi + "/results.csv") == csv);
    CHECK(read(mpi + "/results.json") == read(local + "/results.json"));
}

TEST_CASE("npusim report renders a sweep as one self-contained HTML page", "[e2e][sweep][report]") {
    const std::string out = fresh_dir("report.sweep");
    REQUIRE(npusim("sweep " + small_sweep() + " --out " + out + " --jobs 2").status == 0);
    const Result r = npusim("report " + out);
    REQUIRE(r.status == 0);
    const std::string html = read(out + "/report.html");
    // One front per workload of the sweep (seed and LeNet-5), each with its layers' roofline.
    for (const char* workload : {"seed", "lenet5"}) {
        INFO(workload);
        CHECK_THAT(html, Contains(std::string("<h2>Pareto front: ") + workload + "</h2>") &&
                             Contains(std::string("<h2>Energy of the Pareto designs: ") + workload + "</h2>") &&
                             Contains(std::string(workload) + ": latency vs energy of 4 designs"));
    }
    CHECK_THAT(html, Contains("<h2>Per layer: #0 seed") && Contains("<h2>Per layer: #") && Contains("Roofline") &&
                         Contains("<h2>All points</h2>"));
    // Every colour and line has a legend entry; the roofline names its roofs.
    CHECK_THAT(html, Contains("Pareto front (") && Contains(">roofline<") && Contains("colour: area (mm2)") &&
                         Contains("Roofline of the fastest design: DRAM "));
    CHECK_THAT(html, Contains("<svg") && Contains("<table id='rows'>"));
    // Self-contained: nothing fetched from elsewhere.
    CHECK_THAT(html, !Contains("src=") && !Contains("href=\"http") && !Contains("@import"));
    // One table row per point, failed ones included with their error.
    size_t rows = 0;
    for (size_t at = html.find("<tr"); at != std::string::npos; at = html.find("<tr", at + 1)) ++rows;
    CHECK(rows == 1 + 12);
    CHECK_THAT(html, Contains("size_kib: must be &gt;= 1"));
}

TEST_CASE("a sweep in which every point failed exits 1, its results still written", "[e2e][sweep][errors]") {
    const std::string spec = temp_path("all_fail_sweep.yaml");
    std::ofstream(spec)
        << "name: all_fail\nbase: tiny_4x4\nworkloads: [seed]\naxes:\n  buffers.unified.size_kib: [0]\n";
    const std::string out = fresh_dir("all_fail.sweep");
    const Result r = npusim("sweep " + spec + " --out " + out);
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("1 rows (1 failed)") && Contains("npusim: error: sweep 'all_fail': every point failed"));
    // The row names the point's values, and its error the design file that survives the sweep.
    const std::string csv = read(out + "/results.csv");
    CHECK_THAT(csv, Contains(",error,") && Contains("point 0 (buffers.unified.size_kib=0): "));
    CHECK_THAT(csv, Contains("/points/") && Contains(".yaml:7: buffers.unified.size_kib: must be >= 1"));
    CHECK_THAT(csv, !Contains("npusim: error"));
    const auto json = nlohmann::json::parse(read(out + "/results.json"));
    CHECK(fs::exists(out + "/points/" + json["rows"][0]["id"].get<std::string>() + ".yaml"));
}

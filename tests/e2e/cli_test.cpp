// End-to-end tests of the npusim command line: outputs, files, exit codes and error lines.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>

#include "test_paths.h"

namespace {

struct Result {
    int status;
    std::string out;  // stdout and stderr together
};

Result npusim(const std::string& args) {
    const std::string command = std::string(NPUSIM_BINARY) + " " + args + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buffer;
    while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    const int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), out};
}

std::string temp_path(const std::string& name) { return std::string(NPUSIM_TEST_TMP) + "/" + name; }

std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

int count_lines(const std::string& text) {
    int n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

}  // namespace

using Catch::Matchers::Contains;

TEST_CASE("npusim list shows designs and models", "[e2e]") {
    const Result r = npusim("list");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("tpu_v1") && Contains("eyeriss") && Contains("resnet50") && Contains("seed"));
    CHECK_THAT(r.out, !Contains("SystemC"));  // no banner
}

TEST_CASE("npusim run writes the table, JSON, CSV and a Chrome trace", "[e2e]") {
    const std::string json = temp_path("seed.json"), csv = temp_path("seed.csv"), trace = temp_path("seed.trace.json");
    const Result r = npusim("run --arch tiny_4x4 --workload seed --json " + json + " --csv " + csv +
                            " --trace " + trace);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("conv") && Contains("check: PASS") && Contains("TOPS/W"));
    const auto j = nlohmann::json::parse(read(json));
    CHECK(j["design"] == "tiny_4x4");
    CHECK(j["total"]["macs"] == 81);
    CHECK(j["total"]["cycles"] == 85);
    CHECK(j["layers"].size() == 1);
    CHECK(j["check"]["passed"] == true);
    CHECK(j["total"]["energy"]["total_pj"].get<double>() > 0);
    const std::string table = read(csv);
    CHECK(count_lines(table) == 2);
    CHECK_THAT(table, Contains("layer,type,n,c,h,w,macs,cycles"));
    const auto t = nlohmann::json::parse(read(trace));
    int complete = 0;
    std::set<int> threads;
    for (const auto& e : t["traceEvents"])
        if (e["ph"] == "X") {
            ++complete;
            threads.insert(e["tid"].get<int>());
        }
    CHECK(complete == 6);  // 3 loads, 1 GEMM, 1 requantize, 1 store
    CHECK(threads.size() == 4);
}

TEST_CASE("npusim run prints ResNet-18 per layer on the TPU v1-like design", "[e2e]") {
    const Result r = npusim("run --arch tpu_v1 --workload resnet18 --timing-only");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("layer4_1_conv2") && Contains("fc") && Contains("inferences/s"));
    CHECK_THAT(r.out, Contains("1.81G MACs"));
}

TEST_CASE("bad input: one clear line and a non-zero exit", "[e2e][errors]") {
    struct Case {
        std::string args;
        int status;
        std::string message;
    };
    const std::string bad_model = temp_path("bad_model.yaml");
    std::ofstream(bad_model) << "name: bad\ninput: {channels: 1, height: 8, width: 8}\nlayers:\n"
                                "  - {name: c, type: conv2d, filters: 2, kernel: 3, strid: 2}\n";
    const std::string bad_design = temp_path("bad_design.yaml");
    std::ofstream(bad_design) << "name: bad\narray: {rows: 0, cols: 8, dataflow: ws}\n";
    const Case cases[] = {
        {"run --arch tpu_v9 --workload lenet5", 1, "unknown design 'tpu_v9'"},
        {"run --arch tpu_v1 --workload lenet7", 1, "unknown model 'lenet7'"},
        {"run --arch tpu_v1 --workload lenet5 --precision int4", 2, "--precision: unknown 'int4'"},
        {"run --arch tpu_v1 --workload lenet5 --precision fp16", 1, "no fp16 MACs"},
        {"run --arch tpu_v1 --workload lenet5 --batch 0", 2, "--batch: must be >= 1"},
        {"run --arch tpu_v1 --workload lenet5 --input-size 3x", 2, "--input-size"},
        {"run --arch tpu_v1 --workload " + bad_model, 1, "bad_model.yaml:4: layers[0].strid: unknown key"},
        {"run --arch " + bad_design + " --workload lenet5", 1, "bad_design.yaml:2: array.rows: must be >= 1"},
        {"run --arch tpu_v1 --workload lenet5 --json /nonexistent/dir/x.json", 1, "cannot open for writing"},
        {"run --arch tpu_v1 --workload lenet5 --input-size 8", 1, "does not fit"},
        {"run --workload lenet5", 106, "--arch is required"},
        {"frobnicate", 109, "frobnicate"},
        {"", 2, "Usage"},
    };
    for (const Case& c : cases) {
        INFO(c.args);
        const Result r = npusim(c.args);
        CHECK(r.status == c.status);
        CHECK_THAT(r.out, Contains(c.message));
        if ((c.status == 1 || c.status == 2) && !c.args.empty()) CHECK(count_lines(r.out) == 1);
    }
}

TEST_CASE("--help works on every command", "[e2e]") {
    for (const char* args : {"--help", "run --help", "list --help"}) {
        INFO(args);
        const Result r = npusim(args);
        CHECK(r.status == 0);
        CHECK_THAT(r.out, Contains("Usage"));
    }
}

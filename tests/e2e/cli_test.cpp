// End-to-end tests of the npusim command line: outputs, files, exit codes and error lines.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "cli_helpers.h"
#include "test_paths.h"
#include "test_skip.h"

using namespace npu::test;

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

TEST_CASE("npusim list shows designs and models", "[e2e]") {
    const Result r = npusim("list");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("tpu_v1") && Contains("eyeriss") && Contains("resnet50") && Contains("seed"));
    CHECK_THAT(r.out, !Contains("SystemC"));  // no banner
}

TEST_CASE("npusim run writes the table, JSON, CSV and a Chrome trace", "[e2e]") {
    const std::string json = temp_path("seed.json"), csv = temp_path("seed.csv"), trace = temp_path("seed.trace.json");
    const Result r =
        npusim("run --arch tiny_4x4 --workload seed --json " + json + " --csv " + csv + " --trace " + trace);
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

// The seed (a 3x3 kernel over a 5x5 image, one channel, one filter) has one slice and five
// boxes (3x3 and its halvings 2x3, 1x3, 1x2, 1x1); the whole layer in one tile moves every byte
// once and wins.
TEST_CASE("npusim run --tiling says which tiling each conv got and why", "[e2e][tiling]") {
    const std::string json = temp_path("seed_tiling.json");
    const Result r = npusim("run --arch tiny_4x4 --workload seed --tiling --json " + json);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("tiling: per conv/fc layer") && Contains("g1 c1 f1 box 1x3x3") &&
                          Contains("next best g1 c1 f1 box 1x2x3"));
    const auto j = nlohmann::json::parse(read(json));
    const auto& t = j["layers"][0]["tiling"];
    CHECK(t["shape"] == "g1 c1 f1 box 1x3x3");
    CHECK(t["tiles"] == 1);
    CHECK(t["fitting"] == 5);
    // Input, weights, output, channel parameters, each one run paying a 64 B burst less a byte.
    CHECK(t["estimated_dram_bytes"] == 25 + 9 + 9 + 12 + 4 * 63);
    CHECK(t["runner_up"] == "g1 c1 f1 box 1x2x3");
    // The GEMM the array computes: the 3x3 kernel over the 5x5 image is 9 pixels x 9 taps x 1 filter.
    CHECK(j["layers"][0]["gemm"] == nlohmann::json{{"m", 9}, {"k", 9}, {"n", 1}, {"groups", 1}});
    // Only conv/fc layers have one.
    REQUIRE(npusim("run --arch edge_32x32 --workload lenet5 --timing-only --json " + json).status == 0);
    int tiled = 0;
    const auto lenet = nlohmann::json::parse(read(json));
    for (const auto& layer : lenet["layers"]) {
        const std::string type = layer["type"];
        CHECK(layer.contains("tiling") == (type.rfind("conv2d", 0) == 0 || type.rfind("fc", 0) == 0));
        tiled += layer.contains("tiling");
    }
    CHECK(tiled == 5);  // three convs, two fc
    // LeNet-5's C1: 6 filters of 5x5 over 32x32 give 28x28 pixels; F6: 84 outputs of 120.
    CHECK(lenet["layers"][0]["gemm"] == nlohmann::json{{"m", 784}, {"k", 25}, {"n", 6}, {"groups", 1}});
    for (const auto& layer : lenet["layers"]) {
        if (layer["name"] == "f6")
            CHECK(layer["gemm"] == nlohmann::json{{"m", 1}, {"k", 120}, {"n", 84}, {"groups", 1}});
        CHECK(layer.contains("gemm") == layer.contains("tiling"));
    }
    const Result s = npusim("run --arch tiny_4x4 --workload seed --tiling --timing-model scalesim");
    CHECK(s.status == 2);
    CHECK_THAT(s.out, Contains("--tiling"));
}

TEST_CASE("npusim run --json holds every raw counter by hierarchical name and the provenance", "[e2e][stats]") {
    const std::string json = temp_path("lenet_stats.json");
    REQUIRE(npusim("run --arch edge_32x32 --workload lenet5 --seed 3 --json " + json).status == 0);
    const auto j = nlohmann::json::parse(read(json));
    const auto& p = j["provenance"];
    CHECK(p["schema_version"] == 3);
    CHECK(p["seed"] == 3);
    CHECK(p["fidelity"] == "fast");
    CHECK(p["timing_model"] == "npusim");
    CHECK(p["input_size"] == "1x1x32x32");
    CHECK_FALSE(p["npusim_version"].get<std::string>().empty());
    const auto& c = j["stats"]["counters"];
    for (const char* name :
         {"npu.core0.systolic_array.busy_cycles", "npu.core0.systolic_array.macs", "npu.core0.systolic_array.folds",
          "npu.core0.vector_unit.busy_cycles", "npu.core0.vector_unit.element_ops", "npu.core0.dma.dram_read_bytes",
          "npu.core0.dma.dram_write_bytes", "npu.core0.dma.dram_read_bursts", "npu.core0.dma.dram_write_bursts",
          "npu.core0.accumulator.reads", "npu.core0.accumulator.writes"})
        CHECK(c.contains(name));
    // The report's figures are these counters: totals agree exactly, and per layer too.
    CHECK(c["npu.core0.systolic_array.macs"]["total"] == j["total"]["macs"]);
    CHECK(c["npu.core0.dma.dram_read_bytes"]["total"] == j["total"]["dram_read_bytes"]);
    CHECK(c["npu.core0.dma.dram_write_bytes"]["total"] == j["total"]["dram_write_bytes"]);
    const auto& tags = j["stats"]["tags"];
    REQUIRE(tags.size() == c["npu.core0.systolic_array.macs"]["by_tag"].size());
    for (const auto& layer : j["layers"]) {
        size_t tag = 0;
        while (tag < tags.size() && tags[tag] != layer["name"]) ++tag;
        REQUIRE(tag < tags.size());
        CHECK(c["npu.core0.systolic_array.macs"]["by_tag"][tag] == layer["macs"]);
        CHECK(c["npu.core0.dma.dram_read_bytes"]["by_tag"][tag] == layer["dram_read_bytes"]);
    }
    // SCALE-Sim's formula has no hardware counters, but says where it came from.
    REQUIRE(npusim("run --arch edge_32x32 --workload lenet5 --timing-model scalesim --json " + json).status == 0);
    const auto s = nlohmann::json::parse(read(json));
    CHECK(s["provenance"]["timing_model"] == "scalesim");
    CHECK_FALSE(s.contains("stats"));
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
        // Option values are checked while parsing, before any file is read: the missing design
        // file is not what is reported.
        {"run --arch no_such.yaml --workload lenet5 --fidelity exact", 2,
         "--fidelity: unknown 'exact' (fast, detailed)"},
        {"run --arch no_such.yaml --workload lenet5 --timing-model gem5", 2,
         "--timing-model: unknown 'gem5' (npusim, scalesim)"},
        {"run --arch no_such.yaml --workload lenet5 --dataflow rs", 2, "--dataflow: unknown 'rs' (ws, os, is)"},
        {"explain --arch no_such.yaml --workload seed --precision int4", 2,
         "--precision: unknown 'int4' (int8, fp16, bf16, fp32)"},
        {"run --arch tpu_v1 --workload lenet5 --precision fp16", 1, "no fp16 MACs"},
        {"run --arch tpu_v1 --workload lenet5 --batch 0", 2, "--batch: must be >= 1"},
        {"run --arch tpu_v1 --workload lenet5 --input-size 3x", 2, "--input-size"},
        {"run --arch tpu_v1 --workload " + bad_model, 1, "bad_model.yaml:4: layers[0].strid: unknown key"},
        {"run --arch " + bad_design + " --workload lenet5", 1, "bad_design.yaml:2: array.rows: must be >= 1"},
        {"run --arch tpu_v1 --workload lenet5 --json /nonexistent/dir/x.json", 1, "cannot open for writing"},
        {"run --arch tpu_v1 --workload lenet5 --input-size 8", 1, "does not fit"},
        {"run --workload lenet5", 2, "--arch is required"},  // CLI11's own codes (106, 109) become 2
        {"frobnicate", 2, "unknown command 'frobnicate'"},
        {"runn --arch tpu_v1 --workload lenet5", 2, "unknown command 'runn' (commands: run, explain"},
        {"runn --arch tpu_v1", 2, "(did you mean 'run'?)"},
        {"--frob", 2, "unknown option '--frob'"},
        {"run --archh tpu_v1 --workload lenet5", 2, "run: unknown option '--archh' (did you mean '--arch'?)"},
        {"run --arch tpu_v1 --workload lenet5 --timing-onyl", 2, "(did you mean '--timing-only'?)"},
        {"run --arch tpu_v1 --workload lenet5 --fidel detailed", 2, "(did you mean '--fidelity'?)"},
        {"explain --arch tiny_4x4 --arch edge_32x32 --workload seed", 2, "explain: --arch given twice"},
        {"run --arch tpu_v1 --workload lenet5 --workload seed", 2, "run: --workload given twice"},
        {"run --arch tpu_v1 --workload lenet5 --quiet --quiet", 2, "run: --quiet given twice"},
        {"run --arch tpu_v1 --workload lenet5 --batch abc", 2, "run: --batch: expected an integer, got 'abc'"},
        {"run --arch tpu_v1 --workload lenet5 --batch=2.5", 2, "--batch: expected an integer, got '2.5'"},
        {"run --arch tpu_v1 --workload lenet5 --seed -1", 2, "--seed: expected an integer >= 0, got '-1'"},
        {"train --timing-only --model lenet5 --lr fast", 2, "train: --lr: expected a number, got 'fast'"},
        {"run --arch tpu_v1 --workload", 2, "run: --workload needs a value"},
        {"run --arch tpu_v1 --workload lenet5 extra", 2, "run: unexpected argument 'extra'"},
        {"run --arch tpu_v1 --workload lenet5 --timing-model scalesim --trace t.json", 2,
         "--trace: the scalesim timing model"},
        {"run --arch tpu_v1 --workload lenet5 --timing-model scalesim --fidelity detailed", 2,
         "--fidelity detailed: the scalesim timing model has no PE grid"},
        {"explain --arch tiny_4x4 --workload seed --quiet", 2, "--quiet: explain would then show nothing"},
        {"", 2, "Usage"},
    };
    for (const Case& c : cases) {
        INFO(c.args);
        const Result r = npusim(c.args);
        CHECK(r.status == c.status);
        CHECK_THAT(r.out, Contains(c.message));
        if ((c.status == 1 || c.status == 2) && !c.args.empty()) {
            CHECK(count_lines(r.out) == 1);
            CHECK_THAT(r.out, StartsWith("npusim: error: "));
        }
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

TEST_CASE("npusim explain: the seed on a 4x4 array, per dataflow, first output 6", "[e2e][explain]") {
    struct Case {
        const char* dataflow;
        const char* first_output;
        const char* summary;
    };
    // ws and is: the first fold's partial sum for C[0,0] is already 6 (the later folds add 0);
    // os: outputs drain bottom row first, C[0,0] = 6 is the fourth to leave.
    for (const Case c : {Case{"ws", "C[0,0] += 6 leaves the array", "40 cycles; 81 MACs on 16 PEs"},
                         Case{"os", "C[0,0] = 6 leaves the array", "37 cycles; 81 MACs on 16 PEs"},
                         Case{"is", "C[0,0] += 6 leaves the array", "58 cycles; 81 MACs on 16 PEs"}}) {
        INFO(c.dataflow);
        const Result r = npusim_explain(std::string("--arch tiny_4x4 --workload seed --dataflow ") + c.dataflow);
        REQUIRE(r.status == 0);
        CHECK_THAT(r.out, Contains(c.first_output) && Contains(c.summary));
        CHECK_THAT(r.out, Contains("     6     7     5\n     8     4     7\n     6     8     5"));
    }
    const Result ws = npusim_explain("--arch tiny_4x4 --workload seed");
    // The first result to leave the array is C[0,0] with 6.
    const size_t first = ws.out.find("leaves the array");
    REQUIRE(first != std::string::npos);
    CHECK(ws.out.substr(ws.out.rfind("->", first), first - ws.out.rfind("->", first)) == "-> C[0,0] += 6 ");
}

TEST_CASE("npusim explain --vcd writes a waveform of every PE register", "[e2e][explain]") {
    const std::string vcd = temp_path("seed.vcd");
    std::remove(vcd.c_str());
    REQUIRE(npusim_explain("--arch tiny_4x4 --workload seed --quiet --vcd " + vcd).status == 0);
    const std::string text = read(vcd);
    REQUIRE_THAT(text, Contains("$enddefinitions"));
    // Every PE has its registers; the outputs have value and valid.
    std::map<std::string, std::string> ids;  // "scope.name" -> VCD identifier
    std::istringstream in(text.substr(0, text.find("$enddefinitions")));
    std::string token, scope;
    while (in >> token) {
        if (token == "$scope") {
            in >> token >> scope;
        } else if (token == "$var") {
            std::string type, width, id, name;
            in >> type >> width >> id >> name;
            ids[scope + "." + name] = id;
        }
    }
    // Each PE's scope names its row and column.
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            for (const char* reg : {"input", "psum", "weight", "next_weight", "psum_valid"}) {
                const std::string name = "pe_r" + std::to_string(r) + "_c" + std::to_string(c) + "." + reg;
                INFO(name);
                CHECK(ids.count(name) == 1);
            }
    REQUIRE(ids.count("out_c0.value") == 1);
    // INT8 values as 32-bit integers, not reals; no date stamp.
    CHECK_THAT(text, Contains("$var wire   32") && !Contains("$var real") && !Contains("$date"));
    // 40 cycles at 100 MHz, plus the last cycle held for one clock: the dump ends at 400 ns.
    int64_t last_time = -1;
    std::istringstream body(text.substr(text.find("$enddefinitions")));
    std::string line;
    bool six_leaves = false;
    while (std::getline(body, line)) {
        if (!line.empty() && line[0] == '#') last_time = std::stoll(line.substr(1));
        if (line == "b110 " + ids["out_c0.value"]) six_leaves = true;  // 6 in binary
    }
    CHECK(last_time == 400);
    CHECK(six_leaves);
    // A GTKWave save file beside it opens the waveform with the useful signals in signed decimal.
    const std::string save = read(temp_path("seed.gtkw"));
    CHECK_THAT(save, Contains("[dumpfile] \"" + vcd + "\"") && Contains("@424\nSystemC.pe_r0_c0.weight[31:0]") &&
                         Contains("SystemC.out_c0.valid") && Contains("SystemC.cycle"));
}

TEST_CASE("npusim explain --html holds every cycle's state", "[e2e][explain]") {
    const std::string html = temp_path("seed.html");
    REQUIRE(npusim_explain("--arch tiny_4x4 --workload seed --quiet --html " + html).status == 0);
    const std::string page = read(html);
    CHECK_THAT(page, Contains("<button id=\"play\">") && Contains("step &gt;") && !Contains("http"));
    const std::string open = "<script id=\"data\" type=\"application/json\">";
    const size_t begin = page.find(open) + open.size();
    const auto data = nlohmann::json::parse(page.substr(begin, page.find("</script>", begin) - begin));
    REQUIRE(data["cycles"].size() == 40);
    int first_output_cycle = -1;
    for (size_t i = 0; i < data["cycles"].size(); ++i) {
        const auto& c = data["cycles"][i];
        REQUIRE(c["cycle"] == int(i));
        REQUIRE(c["h"].size() == 16);
        REQUIRE(c["v"].size() == 16);
        REQUIRE(c["s"].size() == 16);
        if (first_output_cycle < 0 && !c["outputs"].empty()) {
            first_output_cycle = int(i);
            CHECK(c["outputs"][0]["value"] == 6);
        }
    }
    // Preload 4 rows, then input 0 reaches the bottom of a 4-row array 3 cycles later.
    CHECK(first_output_cycle == 7);
    // The page explains itself: notation, a legend entry per colour, the next fold's weights
    // shown loading behind the current one, numbers printed as in the text view.
    CHECK(data["integer"] == true);
    CHECK(data["last_fold"] == 2);  // K = 9 taps on 4 rows: three folds
    CHECK_THAT(page, Contains("<b>Notation.</b>") && Contains("next ${what}=") && Contains("double buffering") &&
                         Contains("const num = v =>"));
}

TEST_CASE("npusim explain's text shows the next fold's weights loading behind the current one", "[e2e][explain]") {
    const Result r = npusim_explain("--arch tiny_4x4 --workload seed");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("'next w' is the next fold's weight"));
    // Fold 0 computes while fold 1's weights enter each PE's second register; fold 2, the last, has none.
    const size_t fold0 = r.out.find("compute  fold 0"), fold2 = r.out.find("compute  fold 2");
    REQUIRE((fold0 != std::string::npos && fold2 != std::string::npos));
    CHECK(r.out.substr(fold0, 400).find("next w=") != std::string::npos);
    CHECK(r.out.find("next w=", fold2) == std::string::npos);
}

TEST_CASE("npusim explain refuses large arrays and layers", "[e2e][explain]") {
    CHECK(npusim_explain("--arch tpu_v1 --workload seed").status == 2);
    const Result r = npusim_explain("--arch tiny_4x4 --workload resnet18");
    CHECK(r.status == 2);
    CHECK_THAT(r.out, Contains("more than explain shows"));
}

TEST_CASE("SCALE-Sim files run unchanged, in both timing models", "[e2e][scalesim]") {
    const std::string data = std::string(NPUSIM_SOURCE_DIR) + "/tests/data/scalesim/";
    const Result scalesim =
        npusim("run --arch " + data + "small.cfg --workload " + data + "small_mnk.csv --timing-model scalesim");
    REQUIRE(scalesim.status == 0);
    CHECK_THAT(scalesim.out, Contains("SCALE-Sim v2 timing") && Contains("in 533 cycles"));
    const Result own = npusim("run --arch " + data + "small.cfg --workload " + data + "small_convs.csv");
    REQUIRE(own.status == 0);
    CHECK_THAT(own.out, Contains("check: PASS") && Contains("DP_conv"));
    CHECK(npusim("run --arch tpu_v1 --workload lenet5 --timing-model gem5").status == 2);
}

TEST_CASE("a small CNN built with python3-onnx runs end to end in every precision", "[e2e][onnx]") {
    const std::string model = temp_path("small_cnn.onnx");
    const std::string make = std::string("/usr/bin/python3 ") + NPUSIM_SOURCE_DIR + "/tools/make_onnx_cnn.py " + model;
    FILE* pipe = popen((make + " 2>&1").c_str(), "r");
    REQUIRE(pipe);
    std::array<char, 4096> buffer;
    std::string out;
    while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    if (pclose(pipe) != 0) NPUSIM_SKIP("python3-onnx is not installed: " << out);
    for (const char* precision : {"fp32", "fp16", "int8"}) {
        INFO(precision);
        const Result r = npusim("run --arch tiny_4x4 --workload " + model + " --precision " + precision);
        CHECK(r.status == 0);
        CHECK_THAT(r.out, Contains("check: PASS") && Contains("logits") && Contains("softmax"));
    }
}

// A user's own data through a network: an ONNX classifier with known weights (built here) on a
// given .npy input prints the class and writes the tensor a hand computation gives; images and
// IDX files as inputs; every misuse refused with one line.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "cli_helpers.h"
#include "workloads/data/npy_file.h"
#include "workloads/export/onnx_export.h"
#include "workloads/ir/float_model.h"
#include "workloads/workload_files.h"

using namespace npu::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// conv 2->2 (3x3, relu) on a 2x3x3 input -> flatten -> fc 2->3 -> softmax, every weight given.
double conv_weight(int f, int c, int k) { return double((f * 18 + c * 9 + k) % 7 - 3) * 0.1; }
const double kConvBias[2] = {0.1, 1.0};
const double kFc[3][2] = {{3.0, -3.0}, {1.0, 1.0}, {-2.0, 4.0}};
const double kFcBias[3] = {0.0, 0.1, -0.1};
double input_value(int i) { return i * 0.1 - 0.8; }

std::string classifier_onnx() {
    std::string conv, fc;
    for (int f = 0; f < 2; ++f)
        for (int c = 0; c < 2; ++c)
            for (int k = 0; k < 9; ++k) conv += (conv.empty() ? "" : ", ") + std::to_string(conv_weight(f, c, k));
    for (const auto& row : kFc)
        for (double w : row) fc += (fc.empty() ? "" : ", ") + std::to_string(w);
    const std::string yaml = temp_path("classifier.yaml"), onnx = temp_path("classifier.onnx");
    std::ofstream(yaml) << "name: classifier\ninput: {channels: 2, height: 3, width: 3}\nlayers:\n"
                        << "  - {name: conv, type: conv2d, filters: 2, kernel: 3, activation: relu, weights: [" << conv
                        << "], bias_values: [0.1, 1.0]}\n  - {name: flat, type: flatten}\n"
                        << "  - {name: fc, type: fc, out_features: 3, weights: [" << fc
                        << "], bias_values: [0.0, 0.1, -0.1]}\n  - {name: prob, type: softmax}\n";
    const npu::Graph graph = npu::load_workload_file(yaml);
    npu::save_onnx(onnx, graph, npu::make_float_model(graph, 1).tensors);
    return onnx;
}

// The classifier by hand, in double: the conv's two outputs and the three probabilities.
std::pair<std::vector<double>, std::vector<double>> by_hand() {
    std::vector<double> y(2), z(3);
    for (int f = 0; f < 2; ++f) {
        double s = kConvBias[f];
        for (int c = 0; c < 2; ++c)
            for (int k = 0; k < 9; ++k) s += conv_weight(f, c, k) * input_value(c * 9 + k);
        y[size_t(f)] = std::max(0.0, s);
    }
    double total = 0;
    for (int o = 0; o < 3; ++o) total += z[size_t(o)] = std::exp(kFc[o][0] * y[0] + kFc[o][1] * y[1] + kFcBias[o]);
    for (double& p : z) p /= total;
    return {y, z};
}

std::string input_npy() {
    std::vector<float> x;
    for (int i = 0; i < 18; ++i) x.push_back(float(input_value(i)));
    const std::string path = temp_path("classifier_input.npy");
    std::ofstream(path, std::ios::binary) << npu::npy_bytes({1, 2, 3, 3}, x);
    return path;
}

}  // namespace

TEST_CASE("an ONNX classifier with known weights on a given input: the class and the tensor", "[e2e][io]") {
    const auto [conv, probabilities] = by_hand();
    const size_t best = size_t(std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin());
    std::vector<double> sorted = probabilities;
    std::sort(sorted.rbegin(), sorted.rend());
    REQUIRE(sorted[0] - sorted[1] > 0.05);  // a clear winner, so INT8 must agree
    const std::string onnx = classifier_onnx(), x = input_npy(), out = temp_path("classifier_out.npy");
    const std::string labels = temp_path("labels.txt"), dump = temp_path("classifier_layers");
    std::ofstream(labels) << "cat\ndog\nbird\n";
    const char* names[] = {"cat", "dog", "bird"};
    fs::remove_all(dump);
    const Result fp32 = npusim("run --arch tiny_4x4 --precision fp32 --workload " + onnx + " --input " + x +
                               " --output " + out + " --top-k 2 --labels " + labels + " --dump-layers " + dump);
    INFO(fp32.out);
    REQUIRE(fp32.status == 0);
    CHECK_THAT(fp32.out, Contains("check: PASS"));
    CHECK_THAT(fp32.out, Contains("top-2 of image 0: " + std::to_string(best) + " " + names[best] + " ("));
    const npu::NpyArray got = npu::read_npy_file(out);
    REQUIRE(got.shape == std::vector<int64_t>{1, 3});
    for (size_t o = 0; o < 3; ++o) CHECK(got.values[o] == Approx(probabilities[o]).margin(1e-6));
    // Every stored layer's output, the conv's among them (relu fused into it).
    const npu::NpyArray conv_out = npu::read_npy_file(dump + "/001_conv.npy");
    REQUIRE(conv_out.shape == std::vector<int64_t>{1, 2, 1, 1});
    for (size_t f = 0; f < 2; ++f) CHECK(conv_out.values[f] == Approx(conv[f]).margin(1e-6));
    CHECK(fs::exists(dump + "/000_input.npy"));

    const Result int8 = npusim("run --arch tiny_4x4 --workload " + onnx + " --input " + x + " --top-k 1");
    REQUIRE(int8.status == 0);
    CHECK_THAT(int8.out,
               Contains("check: PASS (INT8 bit-exact") && Contains("top-1 of image 0: " + std::to_string(best)));
}

TEST_CASE("inputs from images and IDX files; misuse refused with one line", "[e2e][io][errors]") {
    const std::string pgm = temp_path("digit.pgm");
    {
        std::ofstream f(pgm, std::ios::binary);
        f << "P5\n20 20\n255\n";
        for (int i = 0; i < 400; ++i) f << char((i * 37) % 256);
    }
    Result r = npusim("run --arch edge_32x32 --workload lenet5 --input " + pgm + " --input-mean 0.5 --top-k 3");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("check: PASS") && Contains("top-3 of image 0: "));
    struct Case {
        std::string args;
        int status;
        std::string message;
    };
    const std::string run = "run --arch edge_32x32 --workload lenet5 ";
    const Case cases[] = {
        {run + "--input " + input_npy(), 1, "shape (1, 2, 3, 3) does not fit the model's input 1x1x32x32"},
        {run + "--input " + pgm + " --input-mean 0.1,0.2", 2, "2 values for a 1-channel input"},
        {run + "--input " + pgm + " --input-std 0", 2, "--input-std: 0 is not > 0"},
        {run + "--input " + pgm + " --input-mean x", 2, "--input-mean: expected numbers"},
        {run + "--input-index 3", 2, "only with --input"},
        {run + "--labels " + pgm, 2, "--labels: only with --top-k"},
        {run + "--timing-only --output o.npy", 2, "--output: needs a functional run"},
        {run + "--top-k 2 --dataset digits", 2, "--dataset: brings its own inputs"},
        {run + "--input /nonexistent.npy", 1, "/nonexistent.npy: cannot open file"},
        {run + "--input " + pgm + ".idx", 1, "cannot open"},
        {run + "--dump-layers " + pgm, 1, "is a file, not a folder"},
        {run + "--top-k 3 --labels " + pgm + ".txt", 1, "--labels " + pgm + ".txt: cannot open file"},
    };
    for (const Case& c : cases) {
        INFO(c.args);
        r = npusim(c.args);
        CHECK(r.status == c.status);
        CHECK_THAT(r.out, Contains("npusim: error: ") && Contains(c.message));
    }
}

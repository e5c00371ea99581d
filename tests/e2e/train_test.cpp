// npusim train end to end, on a small IDX data set written here: the footprint, the per-epoch
// results, the CSV and JSON files, and the error lines of bad arguments.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_helpers.h"
#include "idx_writer.h"

using namespace npu::test;
using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

// Two classes of 8x8 images: the bright stripe is in the top or the bottom half.
std::string stripes_dataset() {
    const fs::path dir = temp_path("stripes");
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto pixel = [](uint32_t i, uint32_t k) { return ((k / 8 < 4) == (i % 2 == 0) ? 200u : 20u) + (i * 7 + k) % 30; };
    auto label = [](uint32_t i) { return i % 2; };
    write_idx_pair(dir, "train", 96, 8, 8, pixel, label);
    write_idx_pair(dir, "t10k", 32, 8, 8, pixel, label);
    return dir.string();
}

std::string small_model() {
    const std::string path = temp_path("train_small.yaml");
    std::ofstream(path) << "name: small\ninput: {channels: 1, height: 10, width: 10}\nlayers:\n"
                           "  - {name: c, type: conv2d, filters: 4, kernel: 3, activation: relu}\n"
                           "  - {name: p, type: maxpool, kernel: 2}\n"
                           "  - {name: f, type: flatten}\n"
                           "  - {name: fc, type: fc, out_features: 2}\n"
                           "  - {name: s, type: softmax}\n";
    return path;
}

}  // namespace

TEST_CASE("npusim train learns a small data set and writes its curve", "[e2e][train]") {
    const std::string data = stripes_dataset(), csv = temp_path("train.csv"), json = temp_path("train.json");
    const Result r =
        npusim("train --model " + small_model() + " --dataset " + data +
               " --epochs 2 --batch 8 --accumulate 2 --precision fp16 --lr 0.05 --csv " + csv + " --json " + json);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("96 training, 32 test images") && Contains("memory per step") &&
                          Contains("saved activations (per micro-batch)") && Contains("master weights (fp32)"));
    CHECK_THAT(r.out, Contains("epoch 1:") && Contains("epoch 2:") && Contains("trained 12 steps of 16 images"));
    const std::string curve = read(csv);
    CHECK_THAT(curve, Contains("phase,epoch,step,loss,accuracy,lr,loss_scale,skipped"));
    CHECK(count_lines(curve) == 1 + 12 + 2);
    const auto j = nlohmann::json::parse(read(json));
    CHECK(j["steps_per_epoch"] == 6);
    CHECK(j["precision"] == "fp16");
    REQUIRE(j["epochs"].size() == 2);
    CHECK(j["epochs"][1]["test_accuracy"].get<double>() >= 0.9);  // the stripes are easy
}

TEST_CASE("npusim train --device npu trains on the simulated NPU", "[e2e][train]") {
    const std::string json = temp_path("train_npu.json");
    const Result r =
        npusim("train --model " + small_model() + " --dataset " + stripes_dataset() +
               " --epochs 2 --batch 8 --lr 0.05 --device npu --arch tiny_4x4 --reference-every 5 --json " + json);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("on the simulated NPU tiny_4x4") && Contains("simulated on tiny_4x4") &&
                          Contains("weight gradients") && Contains("update") && Contains("costliest layers"));
    const auto j = nlohmann::json::parse(read(json));
    const auto& npu = j["npu"];
    CHECK(npu["design"] == "tiny_4x4");
    CHECK(npu["steps"] == 24);  // 2 epochs of 12 steps
    CHECK(npu["forward_programs"] == 24);
    // Per step: the forward program; GEMMs: the conv's dW (it reads the input) after its
    // im2col, the fc's dW and dX; element-wise: the loss (softmax, gradient), the conv's relu
    // mask, the maxpool's gradient; the overflow check; the conv's and the fc's updates.
    CHECK(npu["programs_per_step"] == 1 + (1 + 3) + 4 + 1 + 2);
    CHECK(npu["phases"]["forward"]["macs"] == 8 * (4 * 64 * 9 + 64 * 2));
    double phase_ns = 0.0;
    for (const char* p : {"forward", "data_gradients", "weight_gradients", "update"}) {
        CHECK(npu["phases"][p]["ns"].get<double>() > 0);
        phase_ns += npu["phases"][p]["ns"].get<double>();
    }
    CHECK(phase_ns == Approx(npu["per_step"]["ns"].get<double>()));
    REQUIRE(npu["layers"].size() == 5);  // the training graph: input, c, p, f, fc
    CHECK(npu["layers"][1]["name"] == "c");
    CHECK(npu["layers"][1]["update"]["ns"].get<double>() > 0);
    CHECK(npu["layers"][3]["forward"]["ns"].get<double>() == 0);  // the flatten is a view
    // Steps 1, 5, 10, 15, 20 recomputed by the CPU reference from the same weights: FP32 agrees
    // to the order of sums.
    CHECK_THAT(r.out, Contains("against the CPU reference on the same weights"));
    CHECK(npu["reference"]["largest_relative_difference"].get<double>() <= 1e-4);
    CHECK(npu["reference"]["at_step"].get<int>() >= 1);
    CHECK(j["epochs"][1]["test_accuracy"].get<double>() >= 0.9);
}

// The CSV's rows without their last column (the reference's loss, which only device runs have).
std::vector<std::string> curve_rows(const std::string& csv) {
    std::vector<std::string> rows;
    std::istringstream in(read(csv));
    for (std::string line; std::getline(in, line);) rows.push_back(line.substr(0, line.rfind(',')));
    return rows;
}

TEST_CASE("npusim train --sum-order npu: the CPU reference repeats an NPU run's curve exactly", "[e2e][train]") {
    const std::string data = stripes_dataset(), npu_csv = temp_path("order_npu.csv"), cpu_csv = temp_path("order.csv");
    const std::string json = temp_path("order_npu.json");
    const std::string run = "train --model " + small_model() + " --dataset " + data +
                            " --epochs 2 --batch 8 --precision fp16 --lr 0.05 --arch tiny_4x4 --sum-order npu";
    const Result npu = npusim(run + " --device npu --reference-every 1 --csv " + npu_csv + " --json " + json);
    REQUIRE(npu.status == 0);
    const Result cpu = npusim(run + " --device cpu --csv " + cpu_csv);
    REQUIRE(cpu.status == 0);
    CHECK_THAT(cpu.out, Contains("on the CPU reference in the sums' order of tiny_4x4"));
    const std::vector<std::string> a = curve_rows(npu_csv), b = curve_rows(cpu_csv);
    CHECK(a.size() == 1 + 24 + 2);
    CHECK(a == b);  // every step's loss, accuracy and loss scale, and both epochs' test results
    // Every step's loss recomputed by the reference on the same weights: the same bits.
    const auto j = nlohmann::json::parse(read(json));
    CHECK(j["sum_order"] == "npu");
    CHECK(j["npu"]["reference"]["largest_relative_difference"].get<double>() == 0.0);
    CHECK_THAT(npu.out, Contains("expected 0: the reference adds in the NPU's order"));
}

// tiny_4x4 with a stated DRAM capacity.
std::string tiny_with_capacity(const std::string& gib) {
    const std::string path = temp_path("tiny_capacity_" + gib + ".yaml");
    std::ifstream in(std::string(NPUSIM_SOURCE_DIR) + "/configs/arch/tiny_4x4.yaml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t dram = text.find("dram: {");
    REQUIRE(dram != std::string::npos);
    text.insert(dram + 7, "capacity_gib: " + gib + ", ");
    std::ofstream(path) << text;
    return path;
}

TEST_CASE("a training step that does not fit the design's DRAM stops before training", "[e2e][train]") {
    // 16 images of the small model need about 60 kB; 0.00004 GiB is 42 kB.
    const std::string args = "train --model " + small_model() + " --dataset " + stripes_dataset() + " --device npu ";
    Result r = npusim(args + "--batch 16 --arch " + tiny_with_capacity("0.00004"));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("a training step needs") && Contains("--accumulate") && !Contains("epoch 1"));
    // Four micro-batches of 4: the activations shrink by 4 and the step fits.
    r = npusim(args + "--batch 4 --accumulate 4 --arch " + tiny_with_capacity("0.00004"));
    CHECK(r.status == 0);
    r = npusim(args + "--batch 4 --arch " + tiny_with_capacity("-1"));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("dram.capacity_gib"));
}

TEST_CASE("npusim train --timing-only estimates one step by phase without data", "[e2e][train]") {
    const std::string json = temp_path("train_step.json");
    const Result r = npusim(
        "train --model lenet5 --timing-only --device npu --arch train_128_fp16 --precision bf16 "
        "--batch 16 --accumulate 2 --json " +
        json);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("forward") && Contains("data gradients") && Contains("weight gradients") &&
                          Contains("update") && Contains("images/s"));
    const auto j = nlohmann::json::parse(read(json));
    const auto& phases = j["npu"]["phases"];
    // LeNet-5's 416,520 MACs per image, for 2 micro-batches of 16; the gradients twice that but for
    // the first layer's data gradient (c1: 6 x 784 x 25 per image), plus one MAC per output for
    // the bias gradients inside the weight-gradient GEMMs (6 x 784 + 16 x 100 + 120 + 84 + 10).
    CHECK(phases["forward"]["macs"].get<double>() == 416520.0 * 32);
    CHECK(phases["data_gradients"]["macs"].get<double>() + phases["weight_gradients"]["macs"].get<double>() ==
          (2 * 416520.0 - 6 * 784 * 25 + 6518) * 32);
    for (const char* p : {"data_gradients", "weight_gradients", "update"}) CHECK(phases[p]["ns"].get<double>() > 0);
    CHECK(phases["update"]["macs"] == 0);
    // The forward program's memory (the footprint report): LeNet-5's 61,470 weights in BF16 and
    // 236 channel records of 12 bytes, the activations in DRAM beside them, tiles on chip.
    CHECK_THAT(r.out, Contains("forward program memory: on-chip peak"));
    const auto& memory = j["forward_memory"];
    CHECK(memory["weight_bytes"] == 2 * 61470 + 12 * 236);
    CHECK(memory["dram_footprint_bytes"].get<int64_t>() > memory["weight_bytes"].get<int64_t>());
    CHECK(memory["onchip_peak_bytes"].get<int64_t>() > 0);
    CHECK(memory["onchip_peak_bytes"].get<int64_t>() <= 32 << 20);  // train_128_fp16's 32 MiB
    // The update once per step, the rest per micro-batch: with --accumulate 2 the micro-batch work
    // doubles and the update does not.
    const std::string json1 = temp_path("train_step_k1.json");
    REQUIRE(npusim("train --model lenet5 --timing-only --device npu --arch train_128_fp16 --precision bf16 "
                   "--batch 16 --json " +
                   json1)
                .status == 0);
    const auto k1 = nlohmann::json::parse(read(json1));
    const auto& one = k1["npu"]["phases"];
    CHECK(phases["forward"]["ns"].get<double>() == Approx(2 * one["forward"]["ns"].get<double>()));
    CHECK(phases["update"]["ns"].get<double>() == Approx(one["update"]["ns"].get<double>()));
    const Result bad = npusim("train --model lenet5 --timing-only");
    CHECK(bad.status == 2);
    CHECK_THAT(bad.out, Contains("--timing-only: needs --device npu and --arch"));
}

TEST_CASE("npusim train --device gpu without a usable GPU says why and exits 5", "[e2e][train]") {
    const std::string args = "train --model " + small_model() + " --dataset " + stripes_dataset() + " --device gpu";
    const Result r = npusim(args + " --gpu-backend tiled --precision bf16");
    CHECK(r.status == 5);
    CHECK_THAT(r.out, Contains("npusim train: no usable GPU here"));
    Result bad = npusim(args + " --gpu-backend mma");  // FP32 on tensor cores: refused before any GPU is sought
    CHECK(bad.status == 2);
    CHECK_THAT(bad.out, Contains("--gpu-backend: the mma backend has no fp32"));
    bad = npusim(args + " --arch tiny_4x4");
    CHECK(bad.status == 2);
    CHECK_THAT(bad.out, Contains("--arch: used by --device npu or --sum-order npu only"));
}

TEST_CASE("a model saved by npusim train runs in npusim run", "[e2e][train]") {
    const std::string onnx = temp_path("trained_small.onnx");
    const std::string trained_json = temp_path("trained_small.json");
    const Result r = npusim("train --model " + small_model() + " --dataset " + stripes_dataset() +
                            " --epochs 1 --batch 8 --save " + onnx + " --json " + trained_json);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("saved the trained model: " + onnx));
    // The saved model classifies the test images on the NPU as the trainer measured it (FP32),
    // and in INT8 with scales calibrated on training images.
    const double trained = nlohmann::json::parse(read(trained_json))["epochs"][0]["test_accuracy"].get<double>();
    const std::string eval_json = temp_path("eval_small.json");
    const Result eval = npusim("run --arch tiny_4x4 --precision fp32 --batch 8 --workload " + onnx + " --dataset " +
                               stripes_dataset() + " --json " + eval_json);
    REQUIRE(eval.status == 0);
    CHECK_THAT(eval.out, Contains("top-1 accuracy on the NPU (fp32)"));
    const auto e = nlohmann::json::parse(read(eval_json));
    CHECK(e["images"] == 32);
    CHECK(e["accuracy"].get<double>() == Approx(trained));
    CHECK(e["reference_accuracy"].get<double>() == Approx(trained));
    CHECK(e["agreement"].get<double>() == 1.0);
    const Result int8 = npusim("run --arch tiny_4x4 --precision int8 --batch 8 --images 20 --workload " + onnx +
                               " --dataset " + stripes_dataset() + " --json " + eval_json);
    REQUIRE(int8.status == 0);
    CHECK(nlohmann::json::parse(read(eval_json))["images"] == 20);
    CHECK(nlohmann::json::parse(read(eval_json))["agreement"].get<double>() >= 0.9);
    const Result timing =
        npusim("run --arch tiny_4x4 --timing-only --workload " + onnx + " --dataset " + stripes_dataset());
    CHECK(timing.status == 2);
    CHECK_THAT(timing.out, Contains("--dataset: needs a functional run"));
    const Result images = npusim("run --arch tiny_4x4 --workload " + onnx + " --images 5");
    CHECK(images.status == 2);
    CHECK_THAT(images.out, Contains("--images: only with --dataset"));
    const Result missing = npusim("run --arch tiny_4x4 --workload " + onnx + " --dataset /nonexistent/dir");
    CHECK(missing.status == 2);  // as npusim train says it
    CHECK_THAT(missing.out, Contains("/nonexistent/dir"));
    // FP32 on the NPU against the CPU reference; the batch follows --batch through the Flatten.
    const Result run = npusim("run --arch tiny_4x4 --precision fp32 --batch 4 --workload " + onnx);
    CHECK(run.status == 0);
    CHECK_THAT(run.out, Contains("check: PASS") && Contains("4x2x1x1"));
    const Result bad = npusim("train --model " + small_model() + " --dataset " + stripes_dataset() +
                              " --batch 8 --save /nonexistent/dir/m.onnx");
    CHECK(bad.status == 1);  // refused before any training
    CHECK_THAT(bad.out,
               Contains("--save /nonexistent/dir/m.onnx: cannot open for writing (no folder /nonexistent/dir)"));
    CHECK_THAT(bad.out, !Contains("epoch 1"));
}

TEST_CASE("a residual network with batchnorm trains on the CPU and its saved model runs", "[e2e][train]") {
    const std::string model = temp_path("train_bn.yaml");
    std::ofstream(model) << "name: bn\ninput: {channels: 1, height: 10, width: 10}\nlayers:\n"
                            "  - {name: c, type: conv2d, filters: 4, kernel: 3, padding: 1, bias: false}\n"
                            "  - {name: c_bn, type: batchnorm}\n"
                            "  - {name: c_relu, type: relu}\n"
                            "  - {name: c2, type: conv2d, filters: 4, kernel: 3, padding: 1, bias: false}\n"
                            "  - {name: c2_bn, type: batchnorm}\n"
                            "  - {name: sum, type: add, inputs: [c2_bn, c_relu]}\n"
                            "  - {name: r, type: relu}\n"
                            "  - {name: g, type: global_avgpool}\n"
                            "  - {name: f, type: flatten}\n"
                            "  - {name: fc, type: fc, out_features: 2}\n";
    const std::string onnx = temp_path("trained_bn.onnx");
    const Result r = npusim("train --model " + model + " --dataset " + stripes_dataset() +
                            " --epochs 2 --batch 8 --lr 0.05 --save " + onnx);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("epoch 2"));
    // The batchnorms saved as BatchNormalization (their running statistics folded in) run on
    // the NPU, where they fold into the convolutions.
    const Result run = npusim("run --arch tiny_4x4 --precision fp32 --workload " + onnx);
    CHECK(run.status == 0);
    CHECK_THAT(run.out, Contains("check: PASS"));
    // On the NPU: one forward program per segment between batchnorms, the loss as the reference's.
    const std::string json = temp_path("train_bn_npu.json");
    const Result npu = npusim("train --model " + model + " --dataset " + stripes_dataset() +
                              " --batch 8 --device npu --arch tiny_4x4 --reference-every 1 --json " + json);
    REQUIRE(npu.status == 0);
    const auto j = nlohmann::json::parse(read(json));
    CHECK(j["npu"]["forward_programs"] == 12 * 3);  // 12 steps; segments [c], [c_bn .. c2], [c2_bn .. fc]
    CHECK(j["npu"]["reference"]["largest_relative_difference"].get<double>() <= 1e-4);
    // The timing-only estimate of its step, batchnorm passes included.
    const Result estimate = npusim("train --model " + model +
                                   " --timing-only --device npu --arch tiny_4x4 "
                                   "--precision fp32 --batch 8");
    CHECK(estimate.status == 0);
    CHECK_THAT(estimate.out, Contains("c_bn"));
}

TEST_CASE("npusim train: bad arguments give one line and a non-zero exit", "[e2e][train]") {
    const std::string on_data = "train --model " + small_model() + " --dataset " + stripes_dataset();
    struct Case {
        std::string args;
        int status;
        std::vector<std::string> says;  // every one in the output
    };
    const std::vector<Case> cases = {
        {on_data + " --precision fp8", 2, {"--precision"}},
        {on_data + " --device npu", 2, {"--device npu: needs --arch"}},
        {on_data + " --device npu --arch tpu_v1", 2, {"tpu_v1", "fp32"}},
        {"train --model " + small_model() + " --dataset /nonexistent/dir", 2, {"--dataset", "/nonexistent/dir"}},
        {on_data + " --batch 100", 2, {"--batch", "training set has 96"}},
        {on_data + " --reference-every -1", 2, {"--reference-every: must be >= 0, got -1"}},
        {on_data + " --sum-order npu", 2, {"--sum-order npu: needs --arch"}},
        {on_data + " --arch tiny_4x4", 2, {"--arch: used by --device npu or --sum-order npu only"}},
        {on_data + " --arch tpu_v1 --sum-order npu", 2, {"design 'tpu_v1' has no fp32 MACs"}},
        {on_data + " --sum-order fastest", 2, {"--sum-order"}},
    };
    for (const Case& c : cases) {
        INFO(c.args);
        const Result r = npusim(c.args);
        CHECK(r.status == c.status);
        for (const std::string& text : c.says) CHECK_THAT(r.out, Contains(text));
    }
    const Result r = npusim("train --model resnet18 --dataset " + stripes_dataset());
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("do not fit") || Contains("not supported in training"));
}

// Training steps of the CPU reference trainer: optimizers on hand-worked numbers, gradient
// accumulation equal to one large batch, dynamic loss scaling, BF16 rounding, and convergence in
// FP32, FP16 and BF16 on a small separable problem.
#include <catch2/catch.hpp>

#include <cmath>

#include "kernels/train/cpu_trainer.h"
#include "kernels/train/footprint.h"
#include "workloads/export/onnx_export.h"
#include "workloads/import/onnx_import.h"
#include "workloads/ir/seeded_rng.h"
#include "workloads/model_loader.h"

using namespace npu;

namespace {

Graph small_net() {
    return parse_model_yaml(
        "name: t\ninput: {channels: 1, height: 6, width: 6}\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 4, kernel: 3, activation: relu}\n"
        "  - {name: m, type: maxpool, kernel: 2}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 2}\n"
        "  - {name: p, type: softmax}\n",
        "t.yaml");
}

// Two classes: a bright left half or a bright right half, with noise.
void make_data(int64_t n, uint64_t seed, std::vector<float>& images, std::vector<int32_t>& labels) {
    SeededRng rng(seed);
    images.clear();
    labels.clear();
    for (int64_t i = 0; i < n; ++i) {
        const int32_t label = int32_t(i % 2);
        for (int y = 0; y < 6; ++y)
            for (int x = 0; x < 6; ++x)
                images.push_back(float((x < 3) == (label == 0) ? 1.0 : 0.0) + float(rng.uniform(-0.4, 0.4)));
        labels.push_back(label);
    }
}

}  // namespace

TEST_CASE("SGD with momentum and weight decay on hand-worked numbers", "[train][optimizer]") {
    OptimizerConfig c;
    c.lr = 0.1;
    c.momentum = 0.9;
    c.weight_decay = 0.5;
    std::vector<LayerParams> w(1), g(1);
    w[0].weight = {1.0f};
    g[0].weight = {2.0f};
    Optimizer opt(c, w);
    opt.apply(w, g, 0);  // v = 2 + 0.5 * 1 = 2.5; w = 1 - 0.25 = 0.75
    CHECK(w[0].weight[0] == Approx(0.75f));
    opt.apply(w, g, 1);  // v = 0.9 * 2.5 + 2 + 0.375 = 4.625; w = 0.75 - 0.4625 = 0.2875
    CHECK(w[0].weight[0] == Approx(0.2875f));
}

TEST_CASE("Adam's first step moves each weight by lr against its gradient's sign", "[train][optimizer]") {
    OptimizerConfig c;
    c.kind = OptimizerKind::Adam;
    c.lr = 0.01;
    std::vector<LayerParams> w(1), g(1);
    w[0].weight = {1.0f, -2.0f};
    g[0].weight = {0.3f, -5.0f};
    Optimizer opt(c, w);
    opt.apply(w, g, 0);
    CHECK(w[0].weight[0] == Approx(0.99f).epsilon(1e-5));
    CHECK(w[0].weight[1] == Approx(-1.99f).epsilon(1e-5));
}

TEST_CASE("learning-rate schedules", "[train][optimizer]") {
    OptimizerConfig c;
    c.lr = 1.0;
    c.schedule = LrSchedule::Step;
    c.step_every = 10;
    c.gamma = 0.5;
    const std::vector<LayerParams> none;
    CHECK(Optimizer(c, none).lr_at(9) == 1.0);
    CHECK(Optimizer(c, none).lr_at(10) == 0.5);
    CHECK(Optimizer(c, none).lr_at(25) == 0.25);
    c.schedule = LrSchedule::Cosine;
    c.total_steps = 100;
    CHECK(Optimizer(c, none).lr_at(0) == 1.0);
    CHECK(Optimizer(c, none).lr_at(50) == Approx(0.5));
    CHECK(Optimizer(c, none).lr_at(100) == Approx(0.0).margin(1e-12));
}

TEST_CASE("K micro-batches of B give the update of one batch of K*B", "[train][accumulate]") {
    std::vector<float> images;
    std::vector<int32_t> labels;
    make_data(8, 3, images, labels);
    TrainerConfig one;
    one.micro_batch = 8;
    TrainerConfig four = one;
    four.micro_batch = 2;
    four.accumulate = 4;
    CpuTrainer a(small_net(), one), b(small_net(), four);
    const StepResult ra = a.step(images.data(), labels.data());
    const StepResult rb = b.step(images.data(), labels.data());
    CHECK(ra.loss == Approx(rb.loss).epsilon(1e-6));
    CHECK(ra.correct == rb.correct);
    for (size_t i = 0; i < a.master().size(); ++i)
        for (size_t k = 0; k < a.master()[i].weight.size(); ++k)
            CHECK(a.master()[i].weight[k] == Approx(b.master()[i].weight[k]).margin(1e-6));
}

TEST_CASE("an FP16 gradient overflow skips the step and halves the loss scale", "[train][loss-scaling]") {
    std::vector<float> images;
    std::vector<int32_t> labels;
    make_data(4, 5, images, labels);
    TrainerConfig c;
    c.micro_batch = 4;
    c.precision = TrainPrecision::Fp16;
    c.loss_scaling.initial_scale = 1e9f;  // loss gradients of ~0.1 become ~1e8, past binary16's 65504
    c.loss_scaling.growth_interval = 2;
    CpuTrainer t(small_net(), c);
    const std::vector<LayerParams> before = t.master();
    const StepResult r = t.step(images.data(), labels.data());
    CHECK(r.skipped);
    CHECK(r.loss_scale == 1e9f);
    CHECK(t.updates() == 0);
    CHECK(t.master()[1].weight == before[1].weight);
    // The scale keeps halving until the gradients fit, then steps apply.
    int skipped = 1;
    while (skipped < 40 && t.step(images.data(), labels.data()).skipped) ++skipped;
    CHECK(skipped < 40);
    CHECK(skipped >= 10);  // 1e9 / 2^10 is still past the range: ~1e6 * 0.1 > 65504
    CHECK(t.updates() == 1);
    CHECK(t.step(images.data(), labels.data()).loss_scale == 1e9f / std::pow(2.0f, float(skipped)));
}

TEST_CASE("bfloat16 rounds to nearest even and keeps FP32's range", "[train][bf16]") {
    CHECK(round_to_bf16(1.0f) == 1.0f);
    CHECK(round_to_bf16(1.0f + 1.0f / 256) == 1.0f);              // halfway: ties to even (down)
    CHECK(round_to_bf16(1.0f + 3.0f / 256) == 1.0f + 1.0f / 64);  // halfway: ties to even (up)
    CHECK(round_to_bf16(1.0f + 1.5f / 128) == 1.0f + 2.0f / 128);
    CHECK(round_to_bf16(1e38f) == Approx(1e38f).epsilon(0.01));  // no overflow where FP16 has one
    CHECK(std::isinf(round_to_half(1e38f)));
    CHECK(std::isnan(round_to_bf16(std::nanf(""))));
}

TEST_CASE("a small net learns a separable problem in FP32, FP16 and BF16", "[train][convergence]") {
    std::vector<float> train_x, test_x;
    std::vector<int32_t> train_y, test_y;
    make_data(64, 1, train_x, train_y);
    make_data(32, 2, test_x, test_y);
    for (TrainPrecision p : {TrainPrecision::Fp32, TrainPrecision::Fp16, TrainPrecision::Bf16}) {
        CAPTURE(train_precision_name(p));
        TrainerConfig c;
        c.micro_batch = 8;
        c.precision = p;
        c.optimizer.lr = 0.05;
        CpuTrainer t(small_net(), c);
        const double before = t.evaluate(test_x.data(), test_y.data(), 32).loss;
        for (int epoch = 0; epoch < 5; ++epoch)
            for (int64_t s = 0; s < 64; s += 8) t.step(train_x.data() + s * 36, train_y.data() + s);
        const EvalResult after = t.evaluate(test_x.data(), test_y.data(), 32);
        CHECK(after.loss < before / 2);
        CHECK(after.accuracy >= 0.95);
    }
}

TEST_CASE("accumulating K micro-batches divides the activation memory by K", "[train][footprint]") {
    TrainerConfig one;
    one.micro_batch = 8;
    TrainerConfig four = one;
    four.micro_batch = 2;
    four.accumulate = 4;
    four.precision = TrainPrecision::Fp16;
    const TrainingFootprint a = training_footprint(CpuTrainer(small_net(), one));
    const TrainingFootprint b = training_footprint(CpuTrainer(small_net(), four));
    auto bytes = [](const TrainingFootprint& f, const std::string& name) {
        for (const FootprintItem& i : f.items)
            if (i.name.find(name) == 0) return i.bytes;
        return int64_t(-1);
    };
    // 8 images of 1x6x6 + 4x4x4 + 4x2x2 (x2: maxpool, flatten) + 2 scores, FP32.
    CHECK(bytes(a, "saved activations") == 8 * (36 + 64 + 16 + 16 + 2) * 4);
    CHECK(bytes(b, "saved activations") == bytes(a, "saved activations") / 4 / 2);  // and FP16: half again
    // What --accumulate shrinks: the activations and their gradients, and nothing else.
    CHECK(a.per_micro_batch_bytes() == 2 * bytes(a, "saved activations"));
    CHECK(b.per_micro_batch_bytes() == a.per_micro_batch_bytes() / 8);
    CHECK(bytes(a, "master weights") == 0);
    const int64_t params = 4 * 9 + 4 + 16 * 2 + 2;
    CHECK(bytes(b, "master weights") == params * 4);
    CHECK(bytes(a, "weight gradients") == params * 4);
    CHECK(bytes(a, "optimizer state") == params * 4);
}

TEST_CASE("a trained model saved as ONNX loads back with the same weights and loss", "[train][onnx]") {
    std::vector<float> images;
    std::vector<int32_t> labels;
    make_data(16, 4, images, labels);
    TrainerConfig c;
    c.micro_batch = 8;
    const Graph model = small_net();
    CpuTrainer t(model, c);
    t.step(images.data(), labels.data());
    t.step(images.data() + 8 * 36, labels.data() + 8);
    const std::string bytes = onnx_model_bytes(model, trained_tensors(t, model));
    const OnnxImport back = import_onnx_bytes(bytes, "trained.onnx");
    // The fused relu comes back as its own layer: input, conv, relu, maxpool, flatten, fc, softmax.
    REQUIRE(back.graph.layers.size() == model.layers.size() + 1);
    CHECK(back.graph.layers[2].kind == LayerKind::Relu);
    CHECK(back.graph.output().kind == LayerKind::Softmax);
    CHECK(back.graph.layers[1].weights == t.master()[1].weight);
    CHECK(back.graph.layers[1].bias_values == t.master()[1].bias);
    CHECK(back.graph.layers[5].weights == t.master()[4].weight);
    CpuTrainer reloaded(back.graph, c);  // initial weights: the model's initializers
    const EvalResult a = t.evaluate(images.data(), labels.data(), 16);
    const EvalResult b = reloaded.evaluate(images.data(), labels.data(), 16);
    CHECK(a.loss == b.loss);
    CHECK(a.accuracy == b.accuracy);
}

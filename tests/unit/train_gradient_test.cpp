// Finite-difference checks of every backward op of the CPU reference trainer: for small graphs
// (odd sizes, stride 2, padding, groups, dilation), the analytic gradient of the loss with
// respect to chosen weights equals the central difference (L(w + e) - L(w - e)) / 2e.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/error.h"
#include "kernels/train/cpu_trainer.h"
#include "workloads/ir/seeded_rng.h"
#include "workloads/model_loader.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

Graph parse(const std::string& layers, const std::string& input) {
    return parse_model_yaml("name: t\ninput: " + input + "\nlayers:\n" + layers, "t.yaml");
}

struct Batch {
    std::vector<float> images;
    std::vector<int32_t> labels;
};

Batch random_batch(const Graph& g, int64_t n, int64_t classes, uint64_t seed) {
    SeededRng rng(seed);
    Batch b;
    b.images.resize(size_t(n * g.input().output.per_image()));
    for (float& v : b.images) v = float(rng.uniform(-1.0, 1.0));
    for (int64_t i = 0; i < n; ++i) b.labels.push_back(int32_t(i % classes));
    return b;
}

// Checks d loss / d w for up to `samples` weights of every layer with parameters.
void check_gradients(const std::string& layers, const std::string& input, int64_t batch = 3) {
    const Graph g = parse(layers, input);
    TrainerConfig config;
    config.micro_batch = batch;
    config.optimizer.lr = 0.0;  // the step only computes gradients
    config.seed = 7;
    CpuTrainer trainer(g, config);
    const Batch b = random_batch(g, batch, trainer.classes(), 11);
    trainer.step(b.images.data(), b.labels.data());
    const std::vector<LayerParams> analytic = trainer.last_gradients();
    int checked = 0;
    for (size_t i = 0; i < analytic.size(); ++i) {
        for (int part = 0; part < 2; ++part) {
            std::vector<float>& w = part == 0 ? trainer.master()[i].weight : trainer.master()[i].bias;
            const std::vector<float>& grad = part == 0 ? analytic[i].weight : analytic[i].bias;
            for (size_t k = 0; k < w.size(); k += std::max<size_t>(1, w.size() / 7)) {
                const float saved = w[k], eps = 1e-3f;
                w[k] = saved + eps;
                const double up = trainer.batch_loss(b.images.data(), b.labels.data());
                w[k] = saved - eps;
                const double down = trainer.batch_loss(b.images.data(), b.labels.data());
                w[k] = saved;
                const double numeric = (up - down) / (2.0 * eps);
                CAPTURE(g.layers[i].name, part, k, numeric, grad[k]);
                CHECK(std::fabs(numeric - grad[k]) <= 2e-3 + 0.02 * std::fabs(numeric));
                ++checked;
            }
        }
    }
    CHECK(checked >= 6);
}

}  // namespace

TEST_CASE("gradients of conv2d with stride 2 and padding, relu and fc", "[train][gradients]") {
    check_gradients(
        "  - {name: c, type: conv2d, filters: 4, kernel: 3, stride: 2, padding: 1}\n"
        "  - {name: r, type: relu}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 3}\n"
        "  - {name: p, type: softmax}\n",
        "{channels: 3, height: 7, width: 7}");
}

TEST_CASE("gradients of grouped and dilated conv2d and average pooling with padding", "[train][gradients]") {
    check_gradients(
        "  - {name: c, type: conv2d, filters: 6, kernel: 3, groups: 2, dilation: 2, padding: [2, 1], "
        "activation: relu}\n"
        "  - {name: a, type: avgpool, kernel: 3, stride: 2, padding: 1}\n"
        "  - {name: a2, type: avgpool, kernel: 2, stride: 1, count_include_pad: true, padding: 1}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 4, bias: false}\n",
        "{channels: 4, height: 9, width: 7}");
}

TEST_CASE("gradients of depthwise conv2d, max pooling, relu6 and clip", "[train][gradients]") {
    check_gradients(
        "  - {name: c, type: conv2d, filters: 3, kernel: 3, groups: 3, padding: 1}\n"
        "  - {name: r6, type: relu6}\n"
        "  - {name: m, type: maxpool, kernel: 3, stride: 2, padding: 1}\n"
        "  - {name: k, type: clip, min: -0.5, max: 0.7}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 3, activation: relu6}\n"
        "  - {name: fc2, type: fc, out_features: 3}\n",
        "{channels: 3, height: 5, width: 6}");
}

TEST_CASE("gradients of a residual block: add, global average pooling", "[train][gradients]") {
    check_gradients(
        "  - {name: c1, type: conv2d, filters: 4, kernel: 3, padding: 1, activation: relu}\n"
        "  - {name: c2, type: conv2d, filters: 4, kernel: 3, padding: 1}\n"
        "  - {name: sum, type: add, inputs: [c2, c1], activation: relu}\n"
        "  - {name: g, type: global_avgpool}\n"
        "  - {name: fc, type: fc, out_features: 3}\n",
        "{channels: 2, height: 5, width: 5}");
}

TEST_CASE("gradients of batchnorm in training mode (batch statistics), after conv2d and fc", "[train][gradients]") {
    // The gradient flows through the batch mean and variance too: a check of only the direct
    // term would fail here.
    check_gradients(
        "  - {name: c, type: conv2d, filters: 3, kernel: 3, stride: 2, padding: 1, bias: false}\n"
        "  - {name: bn, type: batchnorm}\n"
        "  - {name: r, type: relu}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 5}\n"
        "  - {name: bn2, type: batchnorm}\n"
        "  - {name: r2, type: relu6}\n"
        "  - {name: fc2, type: fc, out_features: 3}\n",
        "{channels: 2, height: 7, width: 5}", 4);
}

TEST_CASE("gradients of a small ResNet block: conv, batchnorm, relu, residual add, downsampling",
          "[train][gradients]") {
    check_gradients(
        "  - {name: stem, type: conv2d, filters: 4, kernel: 3, padding: 1, bias: false}\n"
        "  - {name: stem_bn, type: batchnorm}\n"
        "  - {name: stem_relu, type: relu}\n"
        "  - {name: c1, type: conv2d, filters: 6, kernel: 3, stride: 2, padding: 1, bias: false}\n"
        "  - {name: c1_bn, type: batchnorm}\n"
        "  - {name: c1_relu, type: relu}\n"
        "  - {name: c2, type: conv2d, filters: 6, kernel: 3, padding: 1, bias: false}\n"
        "  - {name: c2_bn, type: batchnorm}\n"
        "  - {name: down, type: conv2d, filters: 6, kernel: 1, stride: 2, bias: false, inputs: [stem_relu]}\n"
        "  - {name: down_bn, type: batchnorm}\n"
        "  - {name: sum, type: add, inputs: [c2_bn, down_bn], activation: relu}\n"
        "  - {name: g, type: global_avgpool}\n"
        "  - {name: fc, type: fc, out_features: 3}\n",
        "{channels: 2, height: 7, width: 7}", 3);
}

TEST_CASE("batchnorm keeps running averages for evaluation and saves its folded scale and shift", "[train]") {
    const Graph g = parse(
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 2, bias: false}\n"
        "  - {name: bn, type: batchnorm}\n",
        "{channels: 1, height: 1, width: 3}");
    TrainerConfig config;
    config.micro_batch = 4;
    config.optimizer.lr = 0.0;
    CpuTrainer trainer(g, config);
    const Batch b = random_batch(g, 4, 2, 5);
    trainer.step(b.images.data(), b.labels.data());
    // The fc outputs of the batch, by hand: their mean and unbiased variance enter the running
    // averages with momentum 0.1 from (0, 1).
    const std::vector<float>& w = trainer.master()[2].weight;
    for (int o = 0; o < 2; ++o) {
        double sum = 0.0, squares = 0.0;
        std::vector<double> z;
        for (int n = 0; n < 4; ++n) {
            double v = 0.0;
            for (int k = 0; k < 3; ++k) v += double(w[size_t(o * 3 + k)]) * b.images[size_t(n * 3 + k)];
            z.push_back(v);
            sum += v;
        }
        const double mean = sum / 4.0;
        for (double v : z) squares += (v - mean) * (v - mean);
        const LayerParams& bn = trainer.master()[3];
        CHECK(bn.running_mean[size_t(o)] == Approx(0.1 * mean).epsilon(1e-5));
        CHECK(bn.running_var[size_t(o)] == Approx(0.9 + 0.1 * squares / 3.0).epsilon(1e-5));
        // Saved for inference: scale = gamma / sqrt(var + eps), shift = beta - mean * scale.
        const std::vector<LayerTensors> saved = trained_tensors(trainer, g);
        const double scale = 1.0 / std::sqrt(bn.running_var[size_t(o)] + 1e-5);
        CHECK(saved[3].weight[size_t(o)] == Approx(scale).epsilon(1e-6));
        CHECK(saved[3].bias[size_t(o)] == Approx(-bn.running_mean[size_t(o)] * scale).epsilon(1e-6));
    }
    // Evaluation normalizes with the running statistics, so its loss differs from the batch's.
    CHECK(trainer.evaluate(b.images.data(), b.labels.data(), 4).loss !=
          Approx(trainer.batch_loss(b.images.data(), b.labels.data())).epsilon(1e-3));
}

TEST_CASE("training refuses a layer it cannot train, naming it", "[train]") {
    const Graph g = parse(
        "  - {name: a, type: conv2d, filters: 2, kernel: 1}\n"
        "  - {name: b, type: conv2d, filters: 2, kernel: 1, inputs: [input]}\n"
        "  - {name: cat, type: concat, inputs: [a, b]}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 2}\n",
        "{channels: 1, height: 2, width: 2}");
    CHECK_THROWS_WITH(CpuTrainer(g, TrainerConfig{}), Contains("layer 'cat'") && Contains("not supported in training"));
    const Graph no_classes =
        parse("  - {name: c, type: conv2d, filters: 2, kernel: 1}\n", "{channels: 1, height: 2, width: 2}");
    CHECK_THROWS_WITH(CpuTrainer(no_classes, TrainerConfig{}), Contains("needs class scores"));
}

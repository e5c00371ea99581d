// The GPU half of training: the training GEMMs on every backend and precision in every
// transpose combination against a host product, the overflow check, the optimizer update
// bit for bit with the host's (state resident on the GPU), and whole training steps of a small
// conv net and LeNet-5 on the GPU device against the CPU reference trainer from the same
// initialization and data. Skipped without a GPU.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <tuple>

#include "kernels/conv_cases.h"
#include "kernels/cuda/gpu_conv_backward.h"
#include "kernels/cuda/gpu_loss.h"
#include "kernels/cuda/gpu_matrix.h"
#include "kernels/cuda/gpu_optimizer.h"
#include "kernels/cuda/gpu_training_device.h"
#include "kernels/numerics/check_rule.h"
#include "kernels/numerics/element.h"
#include "kernels/train/cpu_trainer.h"
#include "kernels/train/loss.h"
#include "kernels/train/train_op.h"
#include "test_paths.h"
#include "test_skip.h"
#include "workloads/ir/seeded_rng.h"
#include "workloads/model_loader.h"

using namespace npu;

namespace {

std::vector<float> seeded(int64_t count, uint64_t seed, Precision p) {
    SeededRng rng(seed);
    std::vector<float> v(static_cast<size_t>(count));
    for (float& x : v) x = round_to(float(rng.uniform(-1.0, 1.0)), p);
    return v;
}

std::vector<LayerParams> seeded_params(uint64_t seed) {
    std::vector<LayerParams> p(3);
    p[1].weight = seeded(300, seed, Precision::Fp32), p[1].bias = seeded(7, seed + 1, Precision::Fp32);
    p[2].weight = seeded(41, seed + 2, Precision::Fp32);
    return p;
}

// Steps of one trainer on the CPU and one on the GPU device from the same weights and images.
void train_side_by_side(const Graph& model, TrainPrecision p, ConvKernel kernel, int steps, double tolerance) {
    TrainerConfig c;
    c.micro_batch = 8;
    c.precision = p;
    c.optimizer.lr = 0.02;
    CpuTrainer cpu(model, c), gpu(model, c);
    GpuTrainingDevice device(kernel, p);
    gpu.set_device(&device);
    const int64_t per_image = model.input().output.per_image();
    SeededRng rng(9);
    for (int s = 0; s < steps; ++s) {
        std::vector<float> images(size_t(c.micro_batch * per_image));
        for (float& v : images) v = float(rng.uniform(0.0, 1.0));
        std::vector<int32_t> labels;
        for (int64_t i = 0; i < c.micro_batch; ++i) labels.push_back(int32_t((i + s) % cpu.classes()));
        const StepResult a = cpu.step(images.data(), labels.data()), b = gpu.step(images.data(), labels.data());
        INFO("step " << s << ": CPU loss " << a.loss << ", GPU loss " << b.loss);
        CHECK(std::fabs(a.loss - b.loss) <= tolerance * std::fabs(a.loss));
        CHECK(a.skipped == b.skipped);
    }
}

}  // namespace

TEST_CASE("the training GEMMs on every GPU backend equal a host product", "[gpu][train]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    const MatrixProduct shapes[] = {{37, 19, 45}, {130, 70, 129}, {1, 200, 3}};
    for (ConvKernel kernel : kAllConvKernels)
        for (Precision p : {Precision::Fp32, Precision::Fp16, Precision::Bf16}) {
            if (!conv_kernel_supports(kernel, p)) {
                CHECK_THROWS_AS(gpu_matrix_product(kernel, p, {2, 2, 2}, std::vector<float>(4), std::vector<float>(4)),
                                GpuError);
                continue;
            }
            for (MatrixProduct s : shapes)
                for (bool ta : {false, true})
                    for (bool tb : {false, true}) {
                        INFO(conv_kernel_name(kernel) << " " << precision_name(p) << " " << s.m << "x" << s.k << "x"
                                                      << s.n << " ta " << ta << " tb " << tb);
                        s.a_transposed = ta, s.b_transposed = tb;
                        const std::vector<float> a = seeded(s.m * s.k, 1, p), b = seeded(s.k * s.n, 2, p);
                        const std::vector<float> c = gpu_matrix_product(kernel, p, s, a, b);
                        REQUIRE(int64_t(c.size()) == s.m * s.n);
                        std::vector<float> want(c.size());
                        double squares = 0;
                        for (int64_t i = 0; i < s.m; ++i)
                            for (int64_t j = 0; j < s.n; ++j) {
                                float sum = 0;
                                for (int64_t q = 0; q < s.k; ++q)
                                    sum += a[size_t(ta ? q * s.m + i : i * s.k + q)] *
                                           b[size_t(tb ? j * s.k + q : q * s.n + j)];
                                want[size_t(i * s.n + j)] = sum;
                                squares += double(sum) * sum;
                            }
                        const float rms = float(std::sqrt(squares / double(want.size())));
                        for (size_t i = 0; i < c.size(); ++i) REQUIRE(float_close(c[i], round_to(want[i], p), p, rms));
                    }
        }
}

TEST_CASE("cuDNN's backward convolutions equal the direct sums over the shared shapes", "[gpu][train]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    for (Precision p : {Precision::Fp32, Precision::Fp16, Precision::Bf16})
        for (const test::ConvCase& c : test::conv_cases()) {
            INFO(c.name << " in " << precision_name(p));
            const DirectConvShape& s = c.shape;
            const std::vector<float> x = seeded(s.inputs(), 1, p), w = seeded(s.weights(), 2, p);
            const std::vector<float> dz = seeded(s.outputs(), 3, p);
            const ConvGradients g = cudnn_conv_backward(s, p, x, w, dz, true, true);
            // dW[f][tap] = sum over outputs of dz * x at the tap; dX[tap] = sum of dz * w.
            std::vector<float> dw(size_t(s.weights()), 0.0f), dx(size_t(s.inputs()), 0.0f), db(size_t(s.f), 0.0f);
            for (int64_t o = 0; o < s.outputs(); ++o) {
                const OutputCoords at = output_coords(s, o);
                db[size_t(at.f)] += dz[size_t(o)];
                for (int64_t cg = 0; cg < s.in_per_group(); ++cg)
                    for (int64_t r = 0; r < s.kh; ++r)
                        for (int64_t q = 0; q < s.kw; ++q) {
                            const int64_t i = tap_input_index(s, at, cg, r, q), k = weight_index(s, at.f, cg, r, q);
                            if (i < 0) continue;
                            dw[size_t(k)] += dz[size_t(o)] * x[size_t(i)];
                            dx[size_t(i)] += dz[size_t(o)] * w[size_t(k)];
                        }
            }
            for (const auto& [got, want, what] :
                 {std::tuple{&g.weight, &dw, "dW"}, {&g.input, &dx, "dX"}, {&g.bias, &db, "db"}}) {
                INFO(what);
                REQUIRE(got->size() == want->size());
                const float scale = test::rms(*want);
                for (size_t i = 0; i < want->size(); ++i)
                    REQUIRE(float_close((*got)[i], round_to((*want)[i], p), p, scale));
            }
        }
}

TEST_CASE("the GPU's loss and activation gradients equal the host's", "[gpu][train]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    const int64_t batch = 37, classes = 10;
    std::vector<float> logits = seeded(batch * classes, 4, Precision::Fp32);
    for (float& v : logits) v *= 8.0f;
    std::vector<int32_t> labels;
    for (int64_t n = 0; n < batch; ++n) labels.push_back(int32_t((n * 7) % classes));
    const LossResult host = softmax_cross_entropy(logits, labels.data(), batch, classes, 256.0f);
    const LossResult device = gpu_softmax_cross_entropy(logits, labels.data(), batch, classes, 256.0f);
    CHECK(device.correct == host.correct);
    CHECK(device.loss == Approx(host.loss).epsilon(1e-12));  // binary64 exp and log on both sides
    REQUIRE(device.dlogits.size() == host.dlogits.size());
    for (size_t i = 0; i < host.dlogits.size(); ++i)
        REQUIRE(float_close(device.dlogits[i], host.dlogits[i], Precision::Fp32, 1e-6f));
    const std::vector<float> y = seeded(1000, 5, Precision::Fp32), dy = seeded(1000, 6, Precision::Fp32);
    for (Activation a : {Activation::None, Activation::Relu, Activation::Relu6}) {
        std::vector<float> want;
        for (size_t i = 0; i < y.size(); ++i) want.push_back(activation_grad(y[i] * 7.0f, dy[i], a));
        std::vector<float> y7 = y;
        for (float& v : y7) v *= 7.0f;
        CHECK(gpu_activation_gradient(y7, dy, a) == want);
    }
}

TEST_CASE("the GPU's overflow check finds one non-finite gradient", "[gpu][train]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    const std::vector<LayerParams> master = seeded_params(2);
    GpuOptimizer optimizer;
    const OptimizerConfig config;
    std::vector<LayerParams> g = seeded_params(3);
    CHECK(optimizer.gradients_finite(master, g, config));
    g[2].weight[40] = std::numeric_limits<float>::infinity();
    CHECK_FALSE(optimizer.gradients_finite(master, g, config));
    g[2].weight[40] = 0.0f, g[1].bias[0] = std::nanf("");
    CHECK_FALSE(optimizer.gradients_finite(master, g, config));
}

TEST_CASE("the GPU's SGD and Adam updates equal the host optimizer's bit for bit", "[gpu][train]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    for (OptimizerKind kind : {OptimizerKind::Sgd, OptimizerKind::Adam}) {
        INFO(optimizer_name(kind));
        OptimizerConfig config;
        config.kind = kind;
        config.weight_decay = 1e-3;
        std::vector<LayerParams> host = seeded_params(5), on_gpu = host;
        Optimizer optimizer(config, host);
        GpuOptimizer device;
        for (int64_t update = 0; update < 4; ++update) {
            const std::vector<LayerParams> grads = seeded_params(20 + uint64_t(update));
            optimizer.apply(host, grads, update);
            if (update % 2) CHECK(device.gradients_finite(on_gpu, grads, config));  // apply() uses its upload
            device.apply(on_gpu, grads, config, optimizer.lr_at(update), update);
            for (size_t i = 0; i < host.size(); ++i) {
                CHECK(on_gpu[i].weight == host[i].weight);
                CHECK(on_gpu[i].bias == host[i].bias);
            }
        }
    }
}

TEST_CASE("training steps on the GPU follow the CPU reference's from the same start", "[gpu][train]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    const Graph lenet = load_model_file(test::model_file("lenet5"));
    // FP32 differs from the reference only in the order of sums; FP16 and BF16 round every
    // stored value (the tolerances of npusim train --reference-every).
    for (ConvKernel kernel : kAllConvKernels) {
        INFO(conv_kernel_name(kernel));
        if (conv_kernel_supports(kernel, Precision::Fp32))
            train_side_by_side(lenet, TrainPrecision::Fp32, kernel, 3, 1e-4);
        train_side_by_side(lenet, TrainPrecision::Fp16, kernel, 3, 1e-2);
        train_side_by_side(lenet, TrainPrecision::Bf16, kernel, 3, 5e-2);
    }
    CHECK_THROWS_AS(GpuTrainingDevice(ConvKernel::Mma, TrainPrecision::Fp32), GpuError);
}

// Training GEMMs on the simulated NPU: matrix GEMMs worked by hand and tiled past the buffers,
// and the weight and data gradients of conv2d (stride, padding, groups) and fc layers, and of
// every layer of LeNet-5, equal to the CPU reference trainer's within the FP32 check rule.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "kernels/numerics/check_rule.h"
#include "kernels/train/cpu_trainer.h"
#include "kernels/train/gemm_backward.h"
#include "kernels/train/train_op.h"
#include "sc_helpers.h"
#include "sim/compiler/lower_matrix.h"
#include "sim/train/forward_segments.h"
#include "sim/train/npu_conv_backward.h"
#include "sim/train/npu_optimizer.h"
#include "sim/train/npu_training_device.h"
#include "sim/train/npu_vector_backward.h"
#include "workloads/ir/seeded_rng.h"
#include "workloads/model_loader.h"

using namespace npu;

namespace {

// Every element within the FP32 rule at the larger of itself and the tensor's RMS.
void require_close(const std::vector<float>& npu, const std::vector<float>& reference, const std::string& what) {
    REQUIRE(npu.size() == reference.size());
    double squares = 0;
    for (float v : reference) squares += double(v) * v;
    const float rms = float(std::sqrt(squares / double(std::max<size_t>(1, reference.size()))));
    for (size_t i = 0; i < npu.size(); ++i) {
        INFO(what << "[" << i << "]: npu " << npu[i] << ", reference " << reference[i]);
        REQUIRE(float_close(npu[i], reference[i], Precision::Fp32, rms));
    }
}

HostMatrix host_product(const HostMatrix& a, const HostMatrix& b) {
    HostMatrix c{a.rows, b.cols, std::vector<float>(size_t(a.rows * b.cols), 0.0f)};
    for (int64_t i = 0; i < a.rows; ++i)
        for (int64_t k = 0; k < a.cols; ++k)
            for (int64_t j = 0; j < b.cols; ++j)
                c.values[size_t(i * b.cols + j)] += a.values[size_t(i * a.cols + k)] * b.values[size_t(k * b.cols + j)];
    return c;
}

HostMatrix random_matrix(int64_t rows, int64_t cols, uint64_t seed) {
    SeededRng rng(seed);
    HostMatrix m{rows, cols, std::vector<float>(size_t(rows * cols))};
    for (float& v : m.values) v = float(rng.uniform(-1.0, 1.0));
    return m;
}

HostMatrix transposed(const HostMatrix& m) {
    HostMatrix t{m.cols, m.rows, std::vector<float>(m.values.size())};
    for (int64_t i = 0; i < m.rows; ++i)
        for (int64_t j = 0; j < m.cols; ++j) t.values[size_t(j * m.rows + i)] = m.values[size_t(i * m.cols + j)];
    return t;
}

// Trains one step (lr 0) on the CPU and recomputes every conv/fc layer's gradients on the NPU.
void check_backward_on_npu(const Graph& model, int64_t batch, const std::string& design) {
    TrainerConfig c;
    c.micro_batch = batch;
    c.optimizer.lr = 0.0;
    CpuTrainer trainer(model, c);
    SeededRng rng(5);
    std::vector<float> images(size_t(batch * model.input().output.per_image()));
    for (float& v : images) v = float(rng.uniform(-1.0, 1.0));
    std::vector<int32_t> labels;
    for (int64_t i = 0; i < batch; ++i) labels.push_back(int32_t(i % trainer.classes()));
    trainer.step(images.data(), labels.data());
    Simulation sim(test::design(design), SimulationOptions{});
    NpuPrograms gemm(sim, Precision::Fp32);
    const Graph& g = trainer.graph();
    const PassTensors& pass = trainer.last_pass();
    int layers = 0;
    int64_t programs = 0;  // two GEMMs per fc, two per group of a conv
    for (size_t i = 1; i < g.layers.size(); ++i) {
        const Layer& l = g.layers[i];
        if (l.kind != LayerKind::Conv2d && l.kind != LayerKind::FullyConnected) continue;
        std::vector<float> dz(pass.grad[i].size());
        for (size_t k = 0; k < dz.size(); ++k) dz[k] = activation_grad(pass.out[i][k], pass.grad[i][k], l.activation);
        const LayerGradients r =
            gemm_layer_backward(gemm, g, int(i), pass.out[size_t(l.inputs[0])], dz, trainer.compute_params()[i]);
        require_close(r.weight, trainer.last_gradients()[i].weight, l.name + " dW");
        require_close(r.bias, trainer.last_gradients()[i].bias, l.name + " db");
        if (l.inputs[0] != 0) require_close(r.input, pass.grad[size_t(l.inputs[0])], l.name + " dX");
        if (l.kind == LayerKind::Conv2d) {
            // With im2col and col2im on the vector unit: the same GEMMs, the same bits.
            NpuPrograms layout(sim, Precision::Fp32);
            REQUIRE(conv_layout_fits(sim.config(), g, int(i), Precision::Fp32));
            const LayerGradients o = npu_conv_backward(sim, layout, g, int(i), pass.out[size_t(l.inputs[0])], dz,
                                                       trainer.compute_params()[i]);
            CHECK(o.weight == r.weight);
            CHECK(o.bias == r.bias);
            CHECK(o.input == r.input);
            // Per group: im2col, dW and, unless the layer reads the graph's input, dX and col2im.
            CHECK(layout.programs() == (l.inputs[0] != 0 ? 4 : 2) * l.conv.groups);
        }
        ++layers;
        // dW and, unless the layer reads the graph's input, dX: per group of a conv.
        programs += (l.inputs[0] != 0 ? 2 : 1) * (l.kind == LayerKind::Conv2d ? l.conv.groups : 1);
    }
    CHECK(layers >= 2);
    CHECK(gemm.programs() == programs);
    // The timing-only estimate times the same GEMMs the functional path ran.
    int64_t listed = 0, listed_macs = 0;
    for (size_t i = 1; i < g.layers.size(); ++i)
        for (const BackwardGemm& b : backward_gemms(g, int(i))) {
            ++listed;
            listed_macs += b.m * b.k * b.n;
        }
    CHECK(listed == programs);
    CHECK(listed_macs == gemm.macs());
    CHECK(gemm.simulated_ns() > 0);
}

// A small conv net and 24 random 8x8 images for whole training steps on the NPU.
Graph small_net() {
    return parse_model_yaml(
        "name: t\ninput: {channels: 1, height: 8, width: 8}\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 4, kernel: 3, padding: 1, activation: relu}\n"
        "  - {name: m, type: maxpool, kernel: 2}\n"
        "  - {name: c2, type: conv2d, filters: 4, kernel: 3, stride: 2}\n"
        "  - {name: r, type: relu}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 3}\n"
        "  - {name: s, type: softmax}\n",
        "t.yaml");
}

}  // namespace

TEST_CASE("matrix GEMMs on the NPU: dW = dZ^T X and dX = dZ W worked by hand", "[sc][train]") {
    Simulation sim(test::design("tiny_4x4"), SimulationOptions{});
    NpuPrograms gemm(sim, Precision::Fp32);
    const HostMatrix x{3, 2, {1, 2, 3, 4, 5, 6}}, dz{3, 2, {1, 0, 0, 1, 1, 1}}, w{2, 2, {1, 2, 3, 4}};
    // dW = dZ^T X = [[1 + 5, 2 + 6], [3 + 5, 4 + 6]].
    CHECK(gemm.multiply(dz, true, x, false).values == std::vector<float>{6, 8, 8, 10});
    // dX = dZ W = [[1, 2], [3, 4], [4, 6]].
    CHECK(gemm.multiply(dz, false, w, false).values == std::vector<float>{1, 2, 3, 4, 4, 6});
    CHECK(gemm.programs() == 2);
    CHECK(gemm.macs() == 12 + 12);
}

TEST_CASE("a matrix GEMM larger than the buffers is tiled in M, N and K", "[sc][train]") {
    const NpuConfig design = test::design("tiny_4x4");
    const MatrixTiling t =
        choose_matrix_tiling(design, MatrixGemmJob{{0, 37, 203, false, -1}, {0, 203, 29, true, -1}, 0, 0, 0});
    CHECK((t.m < 37 || t.n < 29 || t.k < 203));  // the 4x4 design's buffers cannot hold it whole
    Simulation sim(design, SimulationOptions{});
    NpuPrograms gemm(sim, Precision::Fp32);
    const HostMatrix a = random_matrix(37, 203, 1), bt = random_matrix(29, 203, 2);
    require_close(gemm.multiply(a, false, bt, true).values, host_product(a, transposed(bt)).values, "C");
    require_close(gemm.multiply(transposed(a), true, transposed(bt), false).values,
                  host_product(a, transposed(bt)).values, "C from transposed storage");
}

TEST_CASE("conv2d (stride 2, padding, groups) and fc gradients on the NPU equal the CPU trainer's", "[sc][train]") {
    const Graph g = parse_model_yaml(
        "name: t\ninput: {channels: 4, height: 9, width: 7}\nlayers:\n"
        "  - {name: c1, type: conv2d, filters: 6, kernel: 3, stride: 2, padding: 1, activation: relu}\n"
        "  - {name: c2, type: conv2d, filters: 6, kernel: 3, groups: 2, padding: [1, 0]}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 5, activation: relu}\n"
        "  - {name: fc2, type: fc, out_features: 3}\n",
        "t.yaml");
    check_backward_on_npu(g, 3, "tiny_4x4");
}

TEST_CASE("every conv and fc gradient of LeNet-5 on the NPU equals the CPU trainer's", "[sc][train]") {
    check_backward_on_npu(test::model("lenet5"), 2, "train_128_fp16");
}

TEST_CASE("training steps on the NPU follow the CPU trainer's loss curve", "[sc][train]") {
    const Graph g = small_net();
    SeededRng rng(9);
    std::vector<float> images(size_t(6 * 4 * 64));
    for (float& v : images) v = float(rng.uniform(-1.0, 1.0));
    std::vector<int32_t> labels;
    for (int i = 0; i < 24; ++i) labels.push_back(i % 3);
    Simulation sim(test::design("train_128_fp16"), SimulationOptions{});  // one elaboration per process
    for (TrainPrecision p : {TrainPrecision::Fp32, TrainPrecision::Fp16}) {
        INFO(train_precision_name(p));
        TrainerConfig c;
        c.micro_batch = 4;
        c.precision = p;
        c.optimizer.lr = 0.05;
        CpuTrainer cpu(g, c), npu(g, c);
        NpuTrainingDevice device(sim, storage_precision(p),
                                 UpdateRule{OptimizerKind::Sgd, p != TrainPrecision::Fp32, 1});
        npu.set_device(&device);
        for (int step = 0; step < 6; ++step) {
            const StepResult a = cpu.step(images.data() + step * 256, labels.data() + step * 4);
            const StepResult b = npu.step(images.data() + step * 256, labels.data() + step * 4);
            INFO("step " << step << ": cpu " << a.loss << ", npu " << b.loss);
            CHECK(std::fabs(a.loss - b.loss) <= (p == TrainPrecision::Fp32 ? 1e-4 : 1e-2) * a.loss);
        }
        const StepLedger& l = device.ledger();
        CHECK(device.forward_programs() == 6);
        // Per step: the forward program; GEMMs: c (reads the input) dW only, c2 and fc dW and dX;
        // layout: c's and c2's im2col, c2's col2im; element-wise: the loss (softmax, gradient),
        // c's relu mask, the maxpool, the relu (the bias gradients are in the GEMMs); the
        // gradients' overflow check; c, c2 and fc updated.
        CHECK(l.programs() == 6 * (1 + (1 + 2 + 2) + 3 + 5 + 1 + 3));
        for (int phase = 0; phase < kTrainPhaseCount; ++phase) CHECK(l.phase(TrainPhase(phase)).ns > 0);
        CHECK(l.total().ns == Approx(l.phase(TrainPhase::Forward).ns + l.phase(TrainPhase::DataGradient).ns +
                                     l.phase(TrainPhase::WeightGradient).ns + l.phase(TrainPhase::Update).ns));
        CHECK(l.phase(TrainPhase::Forward).macs == 6 * 4 * (4 * 64 * 9 + 4 * 1 * 36 + 4 * 3));  // c 8x8, c2 1x1, fc
        CHECK(l.phase(TrainPhase::Update).macs == 0);
        CHECK(l.phase(TrainPhase::Update).energy.total_pj() > 0);
        // Per layer: the maxpool's only work is its gradient pass; fc's has all four phases.
        CHECK(l.layers()[2][size_t(TrainPhase::Forward)].ns > 0);
        CHECK(l.layers()[2][size_t(TrainPhase::DataGradient)].ns > 0);
        CHECK(l.layers()[2][size_t(TrainPhase::Update)].ns == 0);
        for (int phase = 0; phase < kTrainPhaseCount; ++phase) CHECK(l.layers()[6][size_t(phase)].ns > 0);
    }
}

TEST_CASE("an FP16 overflow on the NPU: its check flags it, the step is skipped, the scale halved", "[sc][train]") {
    const Graph g = small_net();
    SeededRng rng(9);
    std::vector<float> images(size_t(2 * 4 * 64));
    for (float& v : images) v = float(rng.uniform(-1.0, 1.0));
    const std::vector<int32_t> labels = {0, 1, 2, 0, 1, 2, 0, 1};
    Simulation sim(test::design("train_128_fp16"), SimulationOptions{});
    // A loss scale past binary16's range overflows the gradients.
    TrainerConfig c;
    c.micro_batch = 4;
    c.precision = TrainPrecision::Fp16;
    c.loss_scaling.initial_scale = 1e9f;
    CpuTrainer npu(g, c);
    NpuTrainingDevice device(sim, Precision::Fp16, UpdateRule{OptimizerKind::Sgd, true, 1});
    npu.set_device(&device);
    const std::vector<float> before = npu.master()[1].weight;
    const StepResult r = npu.step(images.data(), labels.data());
    CHECK(r.skipped);
    CHECK(npu.master()[1].weight == before);
    CHECK(npu.step(images.data() + 256, labels.data() + 4).loss_scale == 5e8f);
}

// Training GEMMs on the simulated NPU: matrix GEMMs worked by hand and tiled past the buffers,
// and the weight and data gradients of conv2d (stride, padding, groups) and fc layers, and of
// every layer of LeNet-5, equal to the CPU reference trainer's within the FP32 check rule.
#include <catch2/catch.hpp>

#include <cmath>

#include "kernels/numerics/check_rule.h"
#include "kernels/train/cpu_trainer.h"
#include "kernels/train/train_op.h"
#include "sc_helpers.h"
#include "sim/compiler/lower_matrix.h"
#include "sim/train/forward_segments.h"
#include "sim/train/npu_layer_backward.h"
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
            npu_layer_backward(gemm, g, int(i), pass.out[size_t(l.inputs[0])], dz, trainer.compute_params()[i]);
        require_close(r.weight, trainer.last_gradients()[i].weight, l.name + " dW");
        require_close(r.bias, trainer.last_gradients()[i].bias, l.name + " db");
        if (l.inputs[0] != 0) require_close(r.input, pass.grad[size_t(l.inputs[0])], l.name + " dX");
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
    const Graph g = parse_model_yaml(
        "name: t\ninput: {channels: 1, height: 8, width: 8}\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 4, kernel: 3, padding: 1, activation: relu}\n"
        "  - {name: m, type: maxpool, kernel: 2}\n"
        "  - {name: c2, type: conv2d, filters: 4, kernel: 3, stride: 2}\n"
        "  - {name: r, type: relu}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 3}\n"
        "  - {name: s, type: softmax}\n",
        "t.yaml");
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
        NpuTrainingDevice device(sim, npu_precision(p), UpdateRule{OptimizerKind::Sgd, p != TrainPrecision::Fp32, 1});
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
        // element-wise: the loss (softmax, gradient), c's relu mask and bias sum, the maxpool, c2's
        // bias sum, the relu, fc's bias sum; c, c2 and fc updated.
        CHECK(l.programs() == 6 * (1 + (1 + 2 + 2) + 8 + 3));
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

TEST_CASE("an element-wise pass moves exactly its streams and keeps the vector unit busy per tile", "[sc][train]") {
    const NpuConfig design = test::design("tiny_4x4");
    Simulation sim(design, SimulationOptions{});
    NpuPrograms programs(sim, Precision::Fp16);
    // 1000 FP32 elements, two inputs, one output, three operations each: more than the 16 KiB
    // buffer holds at once, so it runs in tiles.
    const VectorPass pass{TrainPhase::Update, 3, 1000, 2, 1, 3, true};
    StreamJob job;
    job.elements = 1000;
    job.inputs = {0, 4096};
    job.outputs = {8192};
    job.ops_per_element = 3;
    const int64_t tile = choose_stream_tile(design, job);
    CHECK(tile < 1000);
    int64_t busy = 0;
    for (int64_t first = 0; first < 1000; first += tile)
        busy += 3 * ((std::min(tile, 1000 - first) + design.vector_lanes - 1) / design.vector_lanes);
    programs.time_pass(pass);
    const ProgramTotals& t = programs.ledger().phase(TrainPhase::Update);
    CHECK(t.dram_read_bytes == 2 * 1000 * 4);
    CHECK(t.dram_write_bytes == 1000 * 4);
    CHECK(t.vector_busy_cycles == busy);
    CHECK(t.cycles >= busy);
    CHECK(t.energy.total_pj() > 0);
    CHECK(programs.ledger().layers()[3][size_t(TrainPhase::Update)].ns == Approx(t.ns));
    CHECK(programs.programs() == 1);
    // In the compute precision (FP16), the same pass moves half the bytes.
    NpuPrograms half(sim, Precision::Fp16);
    half.time_pass(VectorPass{TrainPhase::DataGradient, 1, 1000, 2, 1, 3, false});
    CHECK(half.ledger().phase(TrainPhase::DataGradient).dram_read_bytes == 2 * 1000 * 2);
}

TEST_CASE("SGD and Adam on the vector unit, state resident in DRAM, equal the host optimizer bit for bit",
          "[sc][train]") {
    Simulation sim(test::design("tiny_4x4"), SimulationOptions{});
    for (OptimizerKind kind : {OptimizerKind::Sgd, OptimizerKind::Adam}) {
        INFO(optimizer_name(kind));
        NpuPrograms programs(sim, Precision::Fp32);
        NpuOptimizer optimizer(sim, programs);
        SeededRng rng(3);
        auto random = [&](size_t n) {
            std::vector<float> v(n);
            for (float& x : v) x = float(rng.uniform(-1.0, 1.0));
            return v;
        };
        // Layer 1: 700 weights (more than the 16 KiB buffer holds with all its streams) and 7
        // biases; layer 3: 30 weights, no bias.
        std::vector<LayerParams> host(4);
        host[1] = {random(700), random(7), {}, {}};
        host[3] = {random(30), {}, {}, {}};
        std::vector<LayerParams> npu = host;
        OptimizerConfig c;
        c.kind = kind;
        c.lr = kind == OptimizerKind::Adam ? 0.001 : 0.01;
        c.momentum = 0.9;
        c.weight_decay = 1e-3;
        Optimizer reference(c, host);
        for (int step = 0; step < 3; ++step) {
            std::vector<LayerParams> grads(4);
            grads[1] = {random(700), random(7), {}, {}};
            grads[3] = {random(30), {}, {}, {}};
            reference.apply(host, grads, step);  // constant schedule: c.lr every step
            optimizer.apply(npu, grads, c, c.lr, step);
            for (size_t i : {size_t(1), size_t(3)}) {
                INFO("step " << step << ", layer " << i);
                CHECK(npu[i].weight == host[i].weight);
                CHECK(npu[i].bias == host[i].bias);
            }
        }
        // One program per layer and step, reading master, gradient and the moments and writing
        // master and moments back.
        const int moments = kind == OptimizerKind::Adam ? 2 : 1;
        const ProgramTotals& t = programs.ledger().phase(TrainPhase::Update);
        CHECK(programs.programs() == 3 * 2);
        CHECK(t.dram_read_bytes == 3 * (2 + moments) * (700 + 7 + 30) * 4);
        CHECK(t.dram_write_bytes == 3 * (1 + moments) * (700 + 7 + 30) * 4);
    }
}

TEST_CASE("a residual network with batchnorm trains on the NPU, one forward program per segment", "[sc][train]") {
    const Graph g = parse_model_yaml(
        "name: t\ninput: {channels: 1, height: 8, width: 8}\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 4, kernel: 3, padding: 1, bias: false}\n"
        "  - {name: c_bn, type: batchnorm}\n"
        "  - {name: c_relu, type: relu}\n"
        "  - {name: c2, type: conv2d, filters: 4, kernel: 3, padding: 1, bias: false}\n"
        "  - {name: c2_bn, type: batchnorm}\n"
        "  - {name: sum, type: add, inputs: [c2_bn, c_relu], activation: relu}\n"
        "  - {name: g, type: global_avgpool}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 3}\n",
        "t.yaml");
    // Cut before each batchnorm: [c], [c_bn, c_relu, c2], [c2_bn, sum, g, f, fc]; the last reads
    // c_relu from the segment before as an input of its own.
    const std::vector<ForwardSegment> segments = forward_segments(training_graph(g));
    REQUIRE(segments.size() == 3);
    CHECK(segments[1].source == std::vector<int>{1, 2, 3, 4});
    CHECK(segments[2].first_computed == 2);
    CHECK(segments[2].source == std::vector<int>{4, 3, 5, 6, 7, 8, 9});
    SeededRng rng(4);
    std::vector<float> images(size_t(4 * 4 * 64));
    for (float& v : images) v = float(rng.uniform(-1.0, 1.0));
    std::vector<int32_t> labels;
    for (int i = 0; i < 16; ++i) labels.push_back(i % 3);
    Simulation sim(test::design("tiny_4x4"), SimulationOptions{});
    TrainerConfig c;
    c.micro_batch = 4;
    c.optimizer.lr = 0.05;
    CpuTrainer cpu(g, c), npu(g, c);
    NpuTrainingDevice device(sim, Precision::Fp32, UpdateRule{});
    npu.set_device(&device);
    for (int step = 0; step < 4; ++step) {
        const StepResult a = cpu.step(images.data() + step * 256, labels.data() + step * 4);
        const StepResult b = npu.step(images.data() + step * 256, labels.data() + step * 4);
        INFO("step " << step << ": cpu " << a.loss << ", npu " << b.loss);
        CHECK(std::fabs(a.loss - b.loss) <= 1e-4 * a.loss);
    }
    CHECK(device.forward_programs() == 4 * 3);
    // The batch statistics the driver computed between the segments fed the running averages.
    for (int bn : {2, 5})
        for (size_t k = 0; k < 4; ++k) {
            CHECK(npu.master()[size_t(bn)].running_mean[k] ==
                  Approx(cpu.master()[size_t(bn)].running_mean[k]).margin(1e-5));
            CHECK(npu.master()[size_t(bn)].running_var[k] ==
                  Approx(cpu.master()[size_t(bn)].running_var[k]).epsilon(1e-4));
        }
}

TEST_CASE("relu, relu6, clip and add gradients on the vector unit equal the host's bit for bit",
          "[sc][train][vector_backward]") {
    // c is read by r6 and by the add: its gradient gathers from both.
    const Graph g = parse_model_yaml(
        "name: t\ninput: {channels: 2, height: 5, width: 5}\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 3, kernel: 3, padding: 1, activation: relu}\n"  // 1
        "  - {name: r6, type: relu6}\n"                                                       // 2
        "  - {name: k, type: clip, min: -0.3, max: 0.4}\n"                                    // 3
        "  - {name: r, type: relu}\n"                                                         // 4
        "  - {name: sum, type: add, inputs: [r, c], activation: relu}\n"                      // 5
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 3}\n",
        "t.yaml");
    TrainerConfig c;
    c.micro_batch = 3;
    c.optimizer.lr = 0.0;
    c.precision = TrainPrecision::Fp16;
    CpuTrainer trainer(g, c);
    SeededRng rng(8);
    std::vector<float> images(size_t(3 * 50));
    for (float& v : images) v = float(rng.uniform(-2.0, 2.0));
    const std::vector<int32_t> labels = {0, 1, 2};
    trainer.step(images.data(), labels.data());
    const Graph& tg = trainer.graph();
    Simulation sim(test::design("tiny_4x4"), SimulationOptions{});
    NpuPrograms programs(sim, Precision::Fp16);
    for (int layer : {5, 4, 3, 2}) {
        INFO("layer " << tg.layers[size_t(layer)].name);
        // The pass as the trainer left it; an input's gradient holds another reader's share where
        // several layers read it (c), zeros where this layer is its only reader.
        PassTensors host = trainer.last_pass();
        for (int in : tg.layers[size_t(layer)].inputs)
            for (size_t k = 0; k < host.grad[size_t(in)].size(); ++k)
                host.grad[size_t(in)][k] =
                    in == 1 ? round_compute(float(rng.uniform(-1.0, 1.0)), TrainPrecision::Fp16) : 0.0f;
        PassTensors npu = host;
        LayerParams none, grads;
        train_op(tg.layers[size_t(layer)].kind).backward({tg, layer, host, none, grads, TrainPrecision::Fp16});
        REQUIRE(npu_vector_backward(programs, tg, layer, npu));
        for (int in : tg.layers[size_t(layer)].inputs) CHECK(npu.grad[size_t(in)] == host.grad[size_t(in)]);
    }
    // conv c's fused relu: dz = dy where y > 0.
    const PassTensors& p = trainer.last_pass();
    const std::vector<float> dz = npu_activation_gradient(programs, tg, 1, p.out[1], p.grad[1]);
    for (size_t k = 0; k < dz.size(); ++k) CHECK(dz[k] == activation_grad(p.out[1][k], p.grad[1][k], Activation::Relu));
}

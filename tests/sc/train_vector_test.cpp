// The vector unit's side of training on the NPU: element-wise passes timed exactly, the
// optimizers (SGD, Adam) and the activation and residual-add gradients computed for real and
// equal to the CPU trainer's bit for bit, batchnorm's segmented forward pass.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <memory>

#include "kernels/numerics/check_rule.h"
#include "kernels/train/cpu_trainer.h"
#include "kernels/train/gemm_backward.h"
#include "kernels/train/train_op.h"
#include "sc_helpers.h"
#include "sim/compiler/lower_channel_stats.h"
#include "sim/compiler/lower_matrix.h"
#include "sim/train/forward_segments.h"
#include "sim/train/npu_batchnorm_backward.h"
#include "sim/train/npu_optimizer.h"
#include "sim/train/npu_training_device.h"
#include "sim/train/npu_vector_backward.h"
#include "workloads/ir/seeded_rng.h"
#include "workloads/model_loader.h"

using namespace npu;

namespace {

// A trainer after one FP16 step (lr 0) of `batch` random images: its last pass is what the
// backward ops read.
std::unique_ptr<CpuTrainer> stepped_fp16_trainer(const Graph& g, int64_t batch, uint64_t seed) {
    TrainerConfig c;
    c.micro_batch = batch;
    c.optimizer.lr = 0.0;
    c.precision = TrainPrecision::Fp16;
    auto trainer = std::make_unique<CpuTrainer>(g, c);
    SeededRng rng(seed);
    std::vector<float> images(size_t(batch * g.input().output.per_image()));
    for (float& v : images) v = float(rng.uniform(-2.0, 2.0));
    std::vector<int32_t> labels;
    for (int64_t i = 0; i < batch; ++i) labels.push_back(int32_t(i % trainer->classes()));
    trainer->step(images.data(), labels.data());
    return trainer;
}

// Layer `layer`'s backward step from `pass` on the vector unit gives its inputs the gradients
// the host's TrainOp gives them, bit for bit.
void check_like_host(NpuPrograms& programs, const Graph& g, int layer, const PassTensors& pass) {
    PassTensors host = pass, npu = pass;
    LayerParams none, grads;
    train_op(g.layers[size_t(layer)].kind).backward({g, layer, host, none, grads, TrainPrecision::Fp16});
    REQUIRE(npu_vector_backward(programs, g, layer, npu));
    for (int in : g.layers[size_t(layer)].inputs) CHECK(npu.grad[size_t(in)] == host.grad[size_t(in)]);
}

// Where a forward program would read the optimizer test's parameters: layer 1's weights in
// FP16 and its biases as word 0 of 12-byte channel records (the other words untouched), layer
// 3's FP32 weights as the master values themselves, read in place.
struct ComputeCopies {
    uint64_t weights = 0, records = 0, in_place = 0;
};

ComputeCopies place_copies(Simulation& sim, NpuOptimizer& optimizer, const std::vector<LayerParams>& master) {
    ComputeCopies c{sim.allocate_dram(700 * 2), sim.allocate_dram(7 * 12), sim.allocate_dram(30 * 4)};
    sim.write_dram(c.records, std::vector<uint8_t>(7 * 12, 0xab));
    sim.write_dram(c.in_place, encode_reals(master[3].weight, Precision::Fp32));
    optimizer.set_compute_copy(1, false, c.weights, Precision::Fp16);
    optimizer.set_compute_copy(1, true, c.records, Precision::Fp32, 3);
    optimizer.set_compute_copy(3, false, c.in_place, Precision::Fp32);
    CHECK_THROWS_AS(optimizer.set_compute_copy(3, true, c.records, Precision::Fp32, 3), std::logic_error);
    return c;
}

// After an update: the copies hold the host's new master values, rounded once.
void check_copies(Simulation& sim, const ComputeCopies& c, const std::vector<LayerParams>& host) {
    CHECK(sim.read_dram(c.weights, 700 * 2) == encode_reals(host[1].weight, Precision::Fp16));
    CHECK(sim.read_dram(c.in_place, 30 * 4) == encode_reals(host[3].weight, Precision::Fp32));
    const std::vector<uint8_t> r = sim.read_dram(c.records, 7 * 12);
    for (size_t k = 0; k < 7; ++k) {
        INFO("record " << k);
        const std::vector<uint8_t> word0(r.begin() + long(k * 12), r.begin() + long(k * 12 + 4));
        CHECK(decode_reals(word0, 1, Precision::Fp32)[0] == host[1].bias[k]);
        CHECK(std::vector<uint8_t>(r.begin() + long(k * 12 + 4), r.begin() + long(k * 12 + 12)) ==
              std::vector<uint8_t>(8, 0xab));
    }
}

}  // namespace

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
        optimizer.place(npu, kind == OptimizerKind::Adam);
        const ComputeCopies copies = place_copies(sim, optimizer, npu);
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
            check_copies(sim, copies, host);
        }
        // One program per layer and step, reading master, gradient and the moments and writing
        // master and moments back, and layer 1's compute copies.
        const int moments = kind == OptimizerKind::Adam ? 2 : 1;
        const ProgramTotals& t = programs.ledger().phase(TrainPhase::Update);
        CHECK(programs.programs() == 3 * 2);
        CHECK(t.dram_read_bytes == 3 * (2 + moments) * (700 + 7 + 30) * 4);
        CHECK(t.dram_write_bytes == 3 * ((1 + moments) * (700 + 7 + 30) * 4 + 700 * 2 + 7 * 4));
        // The overflow check the driver reads back: one non-finite gradient flags the step.
        std::vector<LayerParams> grads(4);
        grads[1] = {random(700), random(7), {}, {}};
        grads[3] = {random(30), {}, {}, {}};
        CHECK(optimizer.gradients_finite(npu, grads, c));
        grads[1].weight[613] = std::numeric_limits<float>::infinity();
        CHECK_FALSE(optimizer.gradients_finite(npu, grads, c));
        grads[1].weight[613] = 0.0f;
        grads[3].weight[29] = std::numeric_limits<float>::quiet_NaN();
        CHECK_FALSE(optimizer.gradients_finite(npu, grads, c));
    }
}

TEST_CASE("a residual network with batchnorm trains on the NPU, one forward program per segment", "[sc][train]") {
    const Graph g = test::residual_net();
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
    const std::unique_ptr<CpuTrainer> trainer = stepped_fp16_trainer(g, 3, 8);
    const Graph& tg = trainer->graph();
    Simulation sim(test::design("tiny_4x4"), SimulationOptions{});
    NpuPrograms programs(sim, Precision::Fp16);
    SeededRng rng(9);
    for (int layer : {5, 4, 3, 2}) {
        INFO("layer " << tg.layers[size_t(layer)].name);
        // An input's gradient holds another reader's share where several layers read it (c).
        PassTensors pass = trainer->last_pass();
        for (int in : tg.layers[size_t(layer)].inputs)
            for (size_t k = 0; k < pass.grad[size_t(in)].size(); ++k)
                pass.grad[size_t(in)][k] =
                    in == 1 ? round_compute(float(rng.uniform(-1.0, 1.0)), TrainPrecision::Fp16) : 0.0f;
        check_like_host(programs, tg, layer, pass);
    }
    // conv c's fused relu: dz = dy where y > 0.
    const PassTensors& p = trainer->last_pass();
    const std::vector<float> dz = npu_activation_gradient(programs, tg, 1, p.out[1], p.grad[1]);
    for (size_t k = 0; k < dz.size(); ++k) CHECK(dz[k] == activation_grad(p.out[1][k], p.grad[1][k], Activation::Relu));
}

TEST_CASE("max, average and global average pool gradients on the vector unit equal the host's bit for bit",
          "[sc][train][vector_backward]") {
    const Graph g = parse_model_yaml(
        "name: t\ninput: {channels: 3, height: 9, width: 7}\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 5, kernel: 3, padding: 1, activation: relu}\n"         // 1
        "  - {name: m, type: maxpool, kernel: 3, stride: 2, padding: 1}\n"                           // 2
        "  - {name: a, type: avgpool, kernel: 2, stride: 1, padding: 1, count_include_pad: true}\n"  // 3
        "  - {name: a2, type: avgpool, kernel: 3, stride: 2, padding: 1}\n"                          // 4
        "  - {name: gap, type: global_avgpool}\n"                                                    // 5
        "  - {name: fc, type: fc, out_features: 3}\n",
        "t.yaml");
    const std::unique_ptr<CpuTrainer> trainer = stepped_fp16_trainer(g, 5, 12);
    const Graph& tg = trainer->graph();
    // tiny_4x4's 16 KiB: the 5 x 5 planes of m go through in tiles of several planes.
    Simulation sim(test::design("tiny_4x4"), SimulationOptions{});
    NpuPrograms programs(sim, Precision::Fp16);
    for (int layer : {5, 4, 3, 2}) {
        INFO("layer " << tg.layers[size_t(layer)].name);
        PassTensors pass = trainer->last_pass();
        const int in = tg.layers[size_t(layer)].inputs[0];
        std::fill(pass.grad[size_t(in)].begin(), pass.grad[size_t(in)].end(), 0.0f);  // its only reader
        check_like_host(programs, tg, layer, pass);
    }
    CHECK(programs.programs() == 4);
}

TEST_CASE("batchnorm's batch statistics on the vector unit equal the host's bit for bit", "[sc][train]") {
    // 4 images x 6 channels x 16 x 12 in FP16: tiny_4x4's 16 KiB takes a few channels per tile.
    const Shape s{4, 6, 16, 12};
    SeededRng rng(21);
    std::vector<float> x(size_t(s.elements()));
    for (float& v : x) v = round_compute(float(rng.uniform(-3.0, 5.0)), TrainPrecision::Fp16);
    Simulation sim(test::design("tiny_4x4"), SimulationOptions{});
    NpuPrograms programs(sim, Precision::Fp16);
    const int64_t tile = channel_stats_tile(sim.config(), s, Precision::Fp16);
    CHECK((tile >= 1 && tile < 6));
    const std::vector<float> npu = programs.round_trip(
        TrainPhase::Forward, 1, {&x}, 2 * s.c,
        [&](const std::vector<uint64_t>& at, uint64_t out, ProgramBuilder& builder) {
            lower_channel_stats(sim.config(), at[0], s, out, double(kBatchNormEps), Precision::Fp16, builder);
        },
        true);
    CHECK(npu == batchnorm_batch_stats(x, s));
    CHECK(programs.ledger().phase(TrainPhase::Forward).dram_read_bytes == s.elements() * 2);
}

TEST_CASE("batchnorm's backward pass on the vector unit equals the host's bit for bit", "[sc][train]") {
    const Graph g = parse_model_yaml(
        "name: t\ninput: {channels: 2, height: 9, width: 8}\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 6, kernel: 3, padding: 1, bias: false}\n"  // 1
        "  - {name: bn, type: batchnorm}\n"                                              // 2
        "  - {name: r, type: relu}\n"                                                    // 3
        "  - {name: gap, type: global_avgpool}\n"
        "  - {name: fc, type: fc, out_features: 3}\n",
        "t.yaml");
    const std::unique_ptr<CpuTrainer> trainer = stepped_fp16_trainer(g, 4, 31);
    const Graph& tg = trainer->graph();
    Simulation sim(test::design("tiny_4x4"), SimulationOptions{});
    NpuPrograms programs(sim, Precision::Fp16);
    PassTensors host = trainer->last_pass(), npu = host;
    std::fill(host.grad[1].begin(), host.grad[1].end(), 0.0f);  // the batchnorm is c's only reader
    npu.grad[1] = host.grad[1];
    const LayerParams& params = trainer->compute_params()[2];
    LayerParams host_grads{std::vector<float>(6, 0.0f), std::vector<float>(6, 0.0f), {}, {}}, npu_grads = host_grads;
    train_op(LayerKind::BatchNorm).backward({tg, 2, host, params, host_grads, TrainPrecision::Fp16});
    REQUIRE(npu_batchnorm_backward(sim, programs, tg, 2, npu, params, npu_grads));
    CHECK(npu.grad[1] == host.grad[1]);
    CHECK(npu_grads.weight == host_grads.weight);
    CHECK(npu_grads.bias == host_grads.bias);
    // The sums in the weight-gradient phase, dx in the data-gradient phase: two programs, x and dz
    // read by each (4 x 6 x 9 x 8 values of 2 bytes) with the channel records.
    CHECK(programs.programs() == 2);
    CHECK(programs.ledger().phase(TrainPhase::WeightGradient).dram_read_bytes == 2 * 1728 * 2 + 6 * 12);
    CHECK(programs.ledger().phase(TrainPhase::DataGradient).dram_read_bytes == 2 * 1728 * 2 + 6 * 32);
}

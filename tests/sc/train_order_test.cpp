// The CPU reference in the NPU's order of sums (kernels/train/gemm_order.h) reproduces whole
// training runs on the simulated NPU bit for bit: every step's loss and the final master weights
// are equal, in FP32 and FP16 (loss scaling) with SGD and Adam on a design whose tiles and folds
// cut every GEMM (tiny_4x4), with batchnorm and a residual add too, and in FP32, FP16 and BF16
// on LeNet-5 on the training design. The NPU's driver is handed stale conv and fc weights after
// the first step (StaleWeights): the forward programs and the data-gradient GEMMs must read the
// weights the NPU's own update left in its DRAM.
#include <catch2/catch.hpp>

#include "kernels/train/cpu_trainer.h"
#include "sc_helpers.h"
#include "sim/train/npu_gemm_order.h"
#include "sim/train/npu_training_device.h"
#include "workloads/ir/seeded_rng.h"

using namespace npu;

namespace {

// The NPU's device, given the first step's conv and fc weights and biases at every later step.
class StaleWeights : public TrainingDevice {
public:
    explicit StaleWeights(NpuTrainingDevice& device) : m_device(device) {}
    void forward(const Graph& graph, const std::vector<LayerParams>& params, TrainPrecision precision,
                 PassTensors& pass) override {
        if (m_first.empty()) m_first = params;
        std::vector<LayerParams> stale = params;
        for (size_t i = 0; i < stale.size(); ++i)
            if (has_array_weights(graph, int(i))) stale[i] = m_first[i];
        m_device.forward(graph, stale, precision, pass);
    }
    LayerGradients array_backward(const Graph& graph, int layer, const std::vector<float>& x,
                                  const std::vector<float>& dz, const LayerParams&) override {
        return m_device.array_backward(graph, layer, x, dz, m_first[size_t(layer)]);
    }
    bool vector_backward(const Graph& graph, int layer, PassTensors& pass, const LayerParams& params,
                         LayerParams& grads) override {
        return m_device.vector_backward(graph, layer, pass, params, grads);
    }
    bool activation_gradient(const Graph& graph, int layer, const std::vector<float>& y, const std::vector<float>& dy,
                             std::vector<float>& dz) override {
        return m_device.activation_gradient(graph, layer, y, dy, dz);
    }
    bool loss(const std::vector<float>& logits, const int32_t* labels, int64_t batch, int64_t classes, float scale,
              LossResult& out) override {
        return m_device.loss(logits, labels, batch, classes, scale, out);
    }
    bool check_gradients(const std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                         const OptimizerConfig& optimizer, bool& finite) override {
        return m_device.check_gradients(master, grads, optimizer, finite);
    }
    void micro_batch_done(const Graph& graph) override { m_device.micro_batch_done(graph); }
    void update_done(const Graph& graph, bool applied) override { m_device.update_done(graph, applied); }
    bool apply_update(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                      const OptimizerConfig& optimizer, double lr, int64_t update) override {
        return m_device.apply_update(master, grads, optimizer, lr, update);
    }

private:
    static bool has_array_weights(const Graph& g, int layer) {
        const LayerKind k = g.layers[size_t(layer)].kind;
        return k == LayerKind::Conv2d || k == LayerKind::FullyConnected;
    }
    NpuTrainingDevice& m_device;
    std::vector<LayerParams> m_first;
};

// Trains `steps` steps of `batch` random images on the NPU and on the CPU reference in the
// design's order; both must agree exactly.
void check_same_run(Simulation& sim, const Graph& g, TrainPrecision p, OptimizerKind optimizer, int64_t batch,
                    int steps) {
    INFO(train_precision_name(p) << (optimizer == OptimizerKind::Adam ? ", adam" : ", sgd"));
    const int64_t per_image = g.input().output.per_image();
    SeededRng rng(3);
    std::vector<float> images(size_t(steps * batch * per_image));
    for (float& v : images) v = float(rng.uniform(-1.0, 1.0));
    std::vector<int32_t> labels;
    for (int64_t i = 0; i < steps * batch; ++i) labels.push_back(int32_t((i * 7) % 10 % 3));
    const NpuGemmOrder order(sim.config(), storage_precision(p));
    TrainerConfig c;
    c.micro_batch = batch;
    c.precision = p;
    c.optimizer.kind = optimizer;
    c.optimizer.lr = optimizer == OptimizerKind::Adam ? 0.002 : 0.05;
    c.sum_order = &order;
    CpuTrainer cpu(g, c), npu(g, c);
    NpuTrainingDevice device(sim, storage_precision(p), UpdateRule{optimizer, p != TrainPrecision::Fp32, 1});
    StaleWeights stale(device);
    npu.set_device(&stale);
    for (int step = 0; step < steps; ++step) {
        const StepResult a = cpu.step(images.data() + step * batch * per_image, labels.data() + step * batch);
        const StepResult b = npu.step(images.data() + step * batch * per_image, labels.data() + step * batch);
        INFO("step " << step << ": cpu " << a.loss << ", npu " << b.loss);
        REQUIRE(a.loss == b.loss);
        REQUIRE(a.skipped == b.skipped);
    }
    for (size_t i = 0; i < cpu.master().size(); ++i) {
        INFO("layer " << g.layers[i].name);
        CHECK(cpu.master()[i].weight == npu.master()[i].weight);
        CHECK(cpu.master()[i].bias == npu.master()[i].bias);
        CHECK(cpu.master()[i].running_mean == npu.master()[i].running_mean);
        CHECK(cpu.master()[i].running_var == npu.master()[i].running_var);
    }
}

// Conv (padding, stride 2), max and average pool, relu and fc, 12x12 images.
Graph small_net() {
    return parse_model_yaml(
        "name: t\ninput: {channels: 2, height: 12, width: 12}\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 6, kernel: 3, padding: 1, activation: relu}\n"
        "  - {name: m, type: maxpool, kernel: 2}\n"
        "  - {name: c2, type: conv2d, filters: 5, kernel: 3, stride: 2}\n"
        "  - {name: r, type: relu}\n"
        "  - {name: a, type: avgpool, kernel: 2}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 3}\n"
        "  - {name: s, type: softmax}\n",
        "t.yaml");
}

}  // namespace

TEST_CASE("in a 4x4 array's order the CPU reference repeats NPU training runs bit for bit", "[sc][train]") {
    Simulation sim(test::design("tiny_4x4"), SimulationOptions{});         // one elaboration per process
    for (TrainPrecision p : {TrainPrecision::Fp32, TrainPrecision::Fp16})  // tiny_4x4 has no BF16 MACs
        check_same_run(sim, small_net(), p, OptimizerKind::Sgd, 6, 4);
    check_same_run(sim, small_net(), TrainPrecision::Fp32, OptimizerKind::Adam, 6, 4);
    check_same_run(sim, test::residual_net(), TrainPrecision::Fp32, OptimizerKind::Sgd, 4, 4);
    check_same_run(sim, test::residual_net(), TrainPrecision::Fp16, OptimizerKind::Sgd, 4, 4);
}

TEST_CASE("in train_128_fp16's order the CPU reference repeats LeNet-5 training on the NPU bit for bit",
          "[sc][train]") {
    Simulation sim(test::design("train_128_fp16"), SimulationOptions{});
    for (TrainPrecision p : {TrainPrecision::Fp32, TrainPrecision::Fp16, TrainPrecision::Bf16})
        check_same_run(sim, test::model("lenet5"), p, OptimizerKind::Sgd, 8, 5);
}

// Benchmark (not a test): wall time of training on the simulated NPU. Trains LeNet-5 for
// `steps` steps of 32 synthetic 32x32 images in FP16 on train_128_fp16 (forward programs and
// gradient GEMMs on the NPU, element-wise passes timed) and extrapolates to one Fashion-MNIST
// epoch (1875 steps); then times the timing-only estimates of one ResNet-50 and one VGG-16
// training step at batch 32.
// Usage: npusim_bench_train [steps]   (run it pinned to one core: taskset -c 0)
#include <systemc>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "kernels/train/cpu_trainer.h"
#include "sim/config/arch_loader.h"
#include "sim/config/data_paths.h"
#include "sim/train/npu_training_device.h"
#include "sim/train/training_step_estimate.h"
#include "workloads/ir/seeded_rng.h"
#include "workloads/model_loader.h"
#include "workloads/zoo.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

int sc_main(int argc, char* argv[]) {
    const int steps = argc > 1 ? std::atoi(argv[1]) : 100;
    if (steps < 1) {
        fmt::print(stderr, "usage: npusim_bench_train [steps >= 1]\n");
        return 2;
    }
    const npu::DataPaths paths = npu::DataPaths::locate(argv[0]);
    const npu::NpuConfig config =
        npu::load_design(npu::resolve_design("train_128_fp16", paths.arch_dir()), paths.energy_dir());
    npu::Simulation functional_sim(config, npu::SimulationOptions{});  // both before the first run
    npu::Simulation timing_sim(config, [] {
        npu::SimulationOptions o;
        o.functional = false;
        o.instance_name = "timing";
        return o;
    }());
    npu::TrainerConfig c;
    c.precision = npu::TrainPrecision::Fp16;
    const npu::Graph lenet = npu::load_model_file(npu::resolve_model("lenet5", paths.models_dir()));
    npu::CpuTrainer trainer(lenet, c);
    const npu::UpdateRule rule{npu::OptimizerKind::Sgd, true, 1};
    npu::NpuTrainingDevice device(functional_sim, npu::Precision::Fp16, rule);
    trainer.set_device(&device);
    npu::SeededRng rng(1);
    std::vector<float> images(size_t(32 * 1024));
    std::vector<int32_t> labels(32);
    const auto t0 = Clock::now();
    for (int s = 0; s < steps; ++s) {
        for (float& v : images) v = float(rng.uniform(-1.0, 1.0));
        for (int i = 0; i < 32; ++i) labels[size_t(i)] = (s + i) % 10;
        trainer.step(images.data(), labels.data());
    }
    const double per_step = seconds_since(t0) / steps;
    fmt::print(
        "LeNet-5 FP16 training on the simulated NPU (train_128_fp16), batch 32: {:.2f} ms per step wall, "
        "{:.0f} s per Fashion-MNIST epoch (1875 steps; target < 120 s)\n",
        per_step * 1e3, per_step * 1875);
    for (const char* name : {"resnet50", "vgg16"}) {
        npu::Graph g = npu::training_graph(npu::load_model_file(npu::resolve_model(name, paths.models_dir())));
        npu::reshape_input(g, 32);
        const auto t1 = Clock::now();
        const npu::TrainingStepEstimate e = npu::estimate_training_step(timing_sim, g, npu::Precision::Fp16, rule);
        fmt::print(
            "{} FP16 training step, batch 32, timing only: {:.1f} ms simulated ({} programs), computed in {:.3f} s "
            "(target < 1 s)\n",
            name, e.step.total().ns / 1e6, e.step.programs(), seconds_since(t1));
    }
    return 0;
}

int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}

#pragma once
// Measuring on this machine's GPU, for `npusim gpu` and a `compare` without --gpu-results: every
// conv2d and fc layer of an inference graph through the own CUDA kernels. In a build without
// CUDA, or on a machine without a usable GPU, live_gpu() says why.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernels/cuda/conv_backend.h"

#include "kernels/model/prepared_model.h"
#include "kernels/numerics/precision.h"
#include "kernels/train/training_device.h"
#include "sim/compare/gpu_measurement.h"
#include "workloads/ir/graph.h"

namespace npu::cli {

struct LiveGpu {
    bool available = false;
    std::string name;    // the device
    std::string reason;  // why not available
    // SM and memory clocks, power limit, driver, CUDA runtime and driver API, cuDNN, as
    // "key: value" pairs in report order.
    std::vector<std::pair<std::string, std::string>> details;
};
LiveGpu live_gpu();

struct LiveLayer {  // what the measurement format leaves out
    std::string name;
    int calls = 0;
    bool check_passed = false;
    std::string check;
    double active_energy_uj = 0.0;
};

struct LiveMeasurement {
    GpuMeasurement layers;          // board energy, idle power included (the measurement format's)
    std::vector<LiveLayer> detail;  // one per row of `layers`
    bool all_checks_passed = true;
    double idle_w = -1.0;           // the board at rest; < 0: no NVML
    double active_energy_uj = 0.0;  // summed over the layers, above idle_w
};

// The GPU backends a --backend option offers (conv_backend.h), and the one it names, checked
// against the precision: a UsageError naming `option` where the backend lacks it.
std::vector<std::string> gpu_backend_choices();
ConvKernel gpu_backend_option(const std::string& option, const std::string& name, Precision p);

// The whole prepared model on the GPU (GpuBackend: every op), each layer checked against the CPU
// reference on the GPU's own inputs; one line per layer on stdout. True if every layer passed.
bool check_network_on_gpu(const QuantModel& model, ConvKernel backend);

// A training device on this machine's GPU (gpu_training_device.h), or nullptr when there is no
// usable GPU (or CUDA in this build), with the reason in `why_not`.
std::unique_ptr<TrainingDevice> gpu_training_device(ConvKernel backend, TrainPrecision precision, std::string& why_not);

// One line per layer on stdout (time, energy, calls, check); `min_ms`: each layer's timed loop.
LiveMeasurement measure_on_gpu(const Graph& inference, ConvKernel backend, Precision p, double min_ms);

}  // namespace npu::cli

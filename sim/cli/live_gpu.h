#pragma once
// Measuring on this machine's GPU, for `npusim gpu` and a `compare` without --gpu-results: every
// conv2d and fc layer of an inference graph through the own CUDA kernels. In a build without
// CUDA, or on a machine without a usable GPU, live_gpu() says why.
#include <string>

#include "kernels/numerics/precision.h"
#include "sim/compare/gpu_measurement.h"
#include "workloads/ir/graph.h"

namespace npu::cli {

struct LiveGpu {
    bool available = false;
    std::string name;    // the device
    std::string reason;  // why not available
};
LiveGpu live_gpu();

struct LiveMeasurement {
    GpuMeasurement layers;
    bool all_checks_passed = true;
};

// One line per layer on stdout (time, energy, calls, check). `backend`: naive or tiled; `min_ms`:
// each layer's timed loop.
LiveMeasurement measure_on_gpu(const Graph& inference, const std::string& backend, Precision p, double min_ms);

}  // namespace npu::cli

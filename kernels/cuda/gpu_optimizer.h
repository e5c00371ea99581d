#pragma once
// The GPU's share of a training step's update: the overflow check (are all gradients finite?)
// and the optimizer update with its state resident in device memory. Each parameter tensor's
// FP32 master values and moments are uploaded once, at the first step, and stay; each step
// uploads the gradients once (for the check and the update), runs one kernel per tensor over optimizer_step.h's
// arithmetic (the host's and the NPU's, bit for bit), and downloads the master values for the next forward pass.
#include <cstdint>
#include <vector>

#include "kernels/cuda/gpu_runtime.h"
#include "kernels/train/optimizer.h"

namespace npu {

class GpuOptimizer {
public:
    // Before apply(): uploads the step's gradients next to the state (apply() then uses them as
    // they are) and checks that every value is finite (one kernel per tensor, one flag read back).
    // The first call places the state (the master values as given, moments zero).
    bool gradients_finite(const std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                          const OptimizerConfig& config);
    // Update number `update` (from 0) of `master` by `grads` at learning rate `lr`.
    void apply(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads, const OptimizerConfig& config,
               double lr, int64_t update);

private:
    struct Tensor {  // one layer's weights or biases
        int layer = 0;
        bool bias = false;
        int64_t elements = 0;
        DeviceBuffer master, first, second, gradient;
    };
    void place(const std::vector<LayerParams>& master, bool adam);
    void upload_gradients(const std::vector<LayerParams>& grads);

    std::vector<Tensor> m_tensors;
    bool m_placed = false;
    bool m_gradients_uploaded = false;  // this step's, by gradients_finite()
};

}  // namespace npu

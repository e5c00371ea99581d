#pragma once
// The optimizer update on the NPU's vector unit (SGD with momentum and weight decay, or Adam),
// its state resident in the simulated DRAM. Each parameter tensor's FP32 master values and
// moments are placed once and kept across steps (Simulation::keep_dram); each step the driver
// writes the FP32 gradients next to them, one program per layer runs the update tile by tile
// (Axpby, AxpbySquare, SqrtShift, Divide, as the host optimizer computes it, bit for bit) and
// stores master values and moments back in place, and the driver reads the master values back
// for the next forward pass.
#include <cstdint>
#include <vector>

#include "kernels/train/optimizer.h"
#include "sim/train/npu_programs.h"

namespace npu {

class NpuOptimizer {
public:
    NpuOptimizer(Simulation& simulation, NpuPrograms& programs) : m_sim(simulation), m_programs(programs) {}

    // Update number `update` (from 0) of `master` (per graph layer) from `grads` at learning
    // rate `lr`. The first call places the state (the master values as given, moments zero): it
    // releases the step's own placements, so it comes after the step's last use of them.
    void apply(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads, const OptimizerConfig& config,
               double lr, int64_t update);
    // Before apply(): writes the step's gradients next to the state (apply() then uses them as
    // they are) and runs a program reducing them tile by tile to means; the driver reads the
    // means back: a non-finite one flags an overflow (FP16) and the step is skipped. (A tile of
    // finite gradients whose FP32 sum overflows would flag one too: gradients near 1e38 / tile.)
    bool gradients_finite(const std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                          const OptimizerConfig& config);

private:
    struct Tensor {  // one parameter tensor (a layer's weights or biases) in DRAM, FP32
        int layer = 0;
        bool bias = false;
        int64_t elements = 0;
        uint64_t master = 0, first = 0, second = 0, gradient = 0;  // second: Adam only
    };
    void place(const std::vector<LayerParams>& master, bool adam);
    void write_gradients(const std::vector<LayerParams>& grads);

    Simulation& m_sim;
    NpuPrograms& m_programs;
    std::vector<Tensor> m_tensors;
    bool m_placed = false;
    bool m_gradients_written = false;  // this step's, by gradients_finite()
};

}  // namespace npu

#pragma once
// The optimizer update on the NPU's vector unit (SGD with momentum and weight decay, or Adam),
// its state resident in the simulated DRAM. Each parameter tensor's FP32 master values and
// moments are placed once and kept across steps (Simulation::keep_dram); each step the driver
// writes the FP32 gradients next to them, one program per layer runs the update tile by tile
// (Axpby, AxpbySquare, SqrtShift, Divide, as the host optimizer computes it, bit for bit) and
// stores master values and moments back in place, and, where the forward programs read a
// tensor (set_compute_copy), converts the master values to the compute precision (Convert) and
// stores them there too: the weights the next forward pass and data gradients read stay in the
// NPU's DRAM. The driver reads the master values back for its own log and checks.
#include <cstdint>
#include <vector>

#include "kernels/train/optimizer.h"
#include "sim/train/npu_programs.h"

namespace npu {

class NpuOptimizer {
public:
    NpuOptimizer(Simulation& simulation, NpuPrograms& programs) : m_sim(simulation), m_programs(programs) {}

    // Places the state for parameters shaped as `params` (moments zero; the master values are
    // written by the first check or update): it releases every placement but the kept ones, so
    // it comes before the step's programs place theirs. Once; apply() and gradients_finite()
    // call it if nobody did.
    void place(const std::vector<LayerParams>& params, bool adam);
    // Where the forward programs read layer `layer`'s weights (or biases) in `precision`, each
    // value `stride` elements after the last (biases: a column of channel parameter records):
    // each update stores the converted master values there too. Dense FP32 is the master
    // tensor itself: it moves there (the address must hold the current master values, as a
    // load of the forward program's weights leaves them) and is updated in place.
    void set_compute_copy(int layer, bool bias, uint64_t address, Precision precision, int64_t stride = 1);

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
        uint64_t copy = 0;                                         // compute copy, 0: none
        Precision copy_precision = Precision::Fp32;
        int64_t copy_stride = 1;
    };
    void write_master(const std::vector<LayerParams>& master);
    void write_gradients(const std::vector<LayerParams>& grads);
    StreamJob update_job(const Tensor& t, bool adam, const std::vector<StreamOp>& ops) const;

    Simulation& m_sim;
    NpuPrograms& m_programs;
    std::vector<Tensor> m_tensors;
    bool m_placed = false;
    bool m_master_written = false;
    bool m_gradients_written = false;  // this step's, by gradients_finite()
};

}  // namespace npu

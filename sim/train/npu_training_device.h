#pragma once
// The simulated NPU as a training device: each step's forward pass is compiled for the design
// and executed functionally (the training graph with the step's weights), every layer's output
// read back; the conv2d and fc weight and data gradients run as NPU GEMMs (npu_gemm.h). The
// element-wise backward ops, the loss and the optimizer update stay on the host, and are not
// timed. Simulated time and energy are summed per phase.
#include <cstdint>

#include "kernels/train/training_device.h"
#include "sim/runtime/simulation.h"
#include "sim/train/npu_gemm.h"

namespace npu {

struct NpuTrainingTime {
    double forward_ns = 0.0, gradient_ns = 0.0;               // forward programs; weight- and data-gradient GEMMs
    double weight_gradient_ns = 0.0, data_gradient_ns = 0.0;  // gradient_ns by phase
    double forward_energy_pj = 0.0;
    int64_t forward_programs = 0, gradient_programs = 0;
    int64_t forward_macs = 0, gradient_macs = 0;
};

class NpuTrainingDevice : public TrainingDevice {
public:
    // `simulation` must be functional; `precision` a float precision its design lists.
    NpuTrainingDevice(Simulation& simulation, Precision precision);

    void forward(const Graph& graph, const std::vector<LayerParams>& params, TrainPrecision precision,
                 PassTensors& pass) override;
    LayerGradients array_backward(const Graph& graph, int layer, const std::vector<float>& x,
                                  const std::vector<float>& dz, const LayerParams& params) override;

    NpuTrainingTime time() const;

private:
    Simulation& m_sim;
    Precision m_precision;
    NpuGemm m_gemm;
    NpuTrainingTime m_time;
    std::vector<int> m_index_of;  // training layer -> inference layer holding its value
    int64_t m_index_batch = -1;
};

// The NPU precision of a training precision.
Precision npu_precision(TrainPrecision p);

}  // namespace npu

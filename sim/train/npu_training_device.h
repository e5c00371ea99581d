#pragma once
// The simulated NPU as a training device: each step's forward pass is compiled for the design
// and executed functionally (the training graph with the step's weights, one program per
// segment between batchnorms, forward_segments.h), every layer's output read back; the conv2d
// and fc weight and data gradients run as NPU GEMMs (kernels/train/gemm_backward.h), a conv2d's
// im2col and col2im as vector-unit programs (npu_conv_backward.h). The vector unit
// computes batchnorm's batch statistics (ChannelStats) and backward (npu_batchnorm_backward.h),
// the gradients of relu, relu6, clip, fused activations, adds and pools
// (npu_vector_backward.h), the loss's softmax and gradient (npu_loss.h), the overflow check and
// the optimizer update, master weights and moments resident in DRAM (npu_optimizer.h), which
// also writes the compute-precision weights the forward programs and the data-gradient GEMMs
// read in place (the driver writes them once, at the first step). What does
// not fit its buffers (a batch's channel, a pool's plane) the host computes, timed as
// vector-unit passes (vector_passes.h). Every program is booked by phase and layer in the
// device's ledger, summed over the run.
#include <cstdint>

#include "kernels/train/training_device.h"
#include "sim/runtime/simulation.h"
#include "sim/train/forward_segments.h"
#include "sim/train/npu_optimizer.h"
#include "sim/train/npu_programs.h"

namespace npu {

class NpuTrainingDevice : public TrainingDevice {
public:
    // `simulation` must be functional; `precision` a float precision its design lists.
    NpuTrainingDevice(Simulation& simulation, Precision precision, const UpdateRule& rule);

    void forward(const Graph& graph, const std::vector<LayerParams>& params, TrainPrecision precision,
                 PassTensors& pass) override;
    LayerGradients array_backward(const Graph& graph, int layer, const std::vector<float>& x,
                                  const std::vector<float>& dz, const LayerParams& params) override;
    bool vector_backward(const Graph& graph, int layer, PassTensors& pass, const LayerParams& params,
                         LayerParams& grads) override;
    bool activation_gradient(const Graph& graph, int layer, const std::vector<float>& y, const std::vector<float>& dy,
                             std::vector<float>& dz) override;
    bool loss(const std::vector<float>& logits, const int32_t* labels, int64_t batch, int64_t classes, float scale,
              LossResult& out) override;
    void micro_batch_done(const Graph& graph) override;
    void update_done(const Graph& graph, bool applied) override;
    bool check_gradients(const std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                         const OptimizerConfig& optimizer, bool& finite) override;
    // On the vector unit (npu_optimizer.h).
    bool apply_update(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                      const OptimizerConfig& optimizer, double lr, int64_t update) override;

    const StepLedger& ledger() const { return m_programs.ledger(); }
    int64_t forward_programs() const { return m_forward_programs; }

private:
    Simulation& m_sim;
    Precision m_precision;
    UpdateRule m_rule;
    NpuPrograms m_programs;
    NpuOptimizer m_optimizer;
    int64_t m_forward_programs = 0;
    void run_segment(size_t k, const Graph& graph, const ForwardSegment& segment, const std::vector<int>& index_of,
                     const std::vector<LayerParams>& params, PassTensors& pass);

    // The compiled model of segment k (`s`, its layers held by inference layers `index_of`),
    // placed at the same addresses every step, loaded with w's values but the resident weights.
    const CompiledModel& compiled_segment(size_t k, const ForwardSegment& s, const std::vector<int>& index_of,
                                          const std::vector<LayerParams>& params, const PreparedWorkload& w);

    std::vector<ForwardSegment> m_segments;
    std::vector<CompiledModel> m_compiled;      // per segment, once compiled
    std::vector<std::vector<bool>> m_resident;  // per segment: its inference layers whose weights the update keeps
    bool m_state_placed = false;
    std::vector<std::vector<int>> m_index_of;  // per segment: its layer -> inference layer holding its value
    int64_t m_segments_batch = -1;
    int m_logits_layer = -1;  // set by forward(): the training graph's last layer
    // Batchnorm's batch statistics of `x` (layer `layer`'s input): a ChannelStats program where a
    // channel of the batch fits the buffers, else the host's.
    std::vector<float> batch_statistics(int layer, const std::vector<float>& x, const Shape& s);

    std::vector<bool> m_ran;     // this micro-batch: batchnorms whose statistics ran as a program
    std::vector<bool> m_masked;  // this micro-batch: layers whose gradient ran as a program (not timed as a pass)
};

}  // namespace npu

#pragma once
// The GPU as a training device (kernels/train/training_device.h), for `npusim train --device
// gpu`: the same network, initialization and data order as the NPU's and the CPU reference's
// runs, with the forward pass's conv2d and fc layers, the backward pass's weight and data
// gradients (vendor: cuDNN's backward convolutions; the own backends: gemm_backward.h's GEMM
// decomposition, multiplied by gpu_matrix_product), the fused activations' gradients and the
// softmax cross-entropy (gpu_loss.h), the
// overflow check and the optimizer update (state resident on the GPU, gpu_optimizer.h) on the
// GPU, by any of the four backends. The forward pass's other layers (batchnorm in training mode,
// pools, adds, activations), the other element-wise backward steps (pools, adds, batchnorm,
// standalone activations) and the GEMM path's im2col/col2im stay with the host's TrainOps.
#include <vector>

#include "kernels/cuda/conv_backend.h"
#include "kernels/cuda/gpu_optimizer.h"
#include "kernels/train/gemm_backward.h"
#include "kernels/train/train_precision.h"

namespace npu {

class GpuTrainingDevice : public TrainingDevice, private MatrixMultiplier {
public:
    // Throws GpuError when the backend lacks the precision (mma in FP32).
    GpuTrainingDevice(ConvKernel kernel, TrainPrecision precision);

    void forward(const Graph& graph, const std::vector<LayerParams>& params, TrainPrecision precision,
                 PassTensors& pass) override;
    LayerGradients array_backward(const Graph& graph, int layer, const std::vector<float>& x,
                                  const std::vector<float>& dz, const LayerParams& params) override;
    bool activation_gradient(const Graph& graph, int layer, const std::vector<float>& y, const std::vector<float>& dy,
                             std::vector<float>& dz) override;
    bool loss(const std::vector<float>& logits, const int32_t* labels, int64_t batch, int64_t classes, float scale,
              LossResult& out) override;
    bool check_gradients(const std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                         const OptimizerConfig& optimizer, bool& finite) override;
    bool apply_update(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                      const OptimizerConfig& optimizer, double lr, int64_t update) override;

private:
    HostMatrix multiply(GradientGemm gemm, int layer, const HostMatrix& a, bool transpose_a, const HostMatrix& b,
                        bool transpose_b) override;
    std::vector<float> conv_forward(const Graph& graph, int layer, const std::vector<float>& x,
                                    const LayerParams& params) const;

    ConvKernel m_kernel;
    TrainPrecision m_precision;
    GpuOptimizer m_optimizer;
    std::vector<LayerParams> m_unused_grads;  // what a forward TrainCall needs and never writes
};

}  // namespace npu

#pragma once
// The GPU as a backend (kernels/backend.h): every layer of a prepared model computed on the GPU,
// conv2d and fc by the chosen convolution backend (conv_backend.h: naive, tiled, mma, vendor),
// the other ops by gpu_ops.h's kernels, views (input, flatten, reshape) on the host. Each layer
// uploads its inputs and downloads its output: this backend is for checking whole networks
// against the CPU reference, layer by layer; timing is per layer (conv_measure.h).
// What the GPU does not run throws GpuError naming the layer: an FP32 layer on mma, imported
// asymmetric INT8 (zero points, ONNX rounding, int32 outputs).
#include "kernels/backend.h"
#include "kernels/cuda/conv_backend.h"

namespace npu {

class GpuBackend : public Backend {
public:
    explicit GpuBackend(ConvKernel kernel) : m_kernel(kernel) {}
    const char* name() const override { return conv_kernel_name(m_kernel); }
    HostTensor run_layer(const QuantModel& model, int index, const std::vector<HostTensor>& outputs) override;

private:
    ConvKernel m_kernel;
};

}  // namespace npu

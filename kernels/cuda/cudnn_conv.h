#pragma once
// One convolution through cuDNN's legacy convolution API (still shipped in cuDNN 9): NCHW
// tensors, the algorithm cudnnFindConvolutionForwardAlgorithm measures fastest for this shape
// and precision (searched once per shape and precision in a process), its workspace allocated
// once. FP16 and BF16 may use tensor cores (FP32 sums);
// FP32 is held to FMA math, since tensor cores would round FP32 operands to TF32, which the FP32
// check rule does not allow. run() enqueues y = conv(x, w) on the default stream.
#include <cudnn.h>

#include <memory>
#include <string>

#include "kernels/cuda/direct_conv.h"
#include "kernels/cuda/gpu_runtime.h"
#include "kernels/numerics/precision.h"

namespace npu {

class CudnnConv {
public:
    // Throws GpuError when cuDNN is missing, rejects the shape, or pads it differently.
    CudnnConv(const DirectConvShape& s, Precision p, const void* x, const void* w, void* y);
    ~CudnnConv();
    CudnnConv(const CudnnConv&) = delete;
    CudnnConv& operator=(const CudnnConv&) = delete;

    void run() const;
    int algorithm() const { return int(m_algorithm); }

private:
    void release();
    void describe(const DirectConvShape& s, Precision p);
    void choose_algorithm(Precision p);

    cudnnHandle_t m_handle = nullptr;
    cudnnTensorDescriptor_t m_x = nullptr, m_y = nullptr;
    cudnnFilterDescriptor_t m_w = nullptr;
    cudnnConvolutionDescriptor_t m_conv = nullptr;
    cudnnConvolutionFwdAlgo_t m_algorithm = CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM;
    cudnnMathType_t m_math = CUDNN_DEFAULT_MATH;
    std::unique_ptr<DeviceBuffer> m_workspace;
    size_t m_workspace_bytes = 0;
    const void* m_x_data;
    const void* m_w_data;
    void* m_y_data;
};

}  // namespace npu

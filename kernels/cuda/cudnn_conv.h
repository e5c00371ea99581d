#pragma once
// Convolutions through cuDNN's legacy API (still shipped in cuDNN 9), NCHW tensors: the forward
// pass (the vendor backend's FP32, FP16 and BF16 convolution) and the data and filter gradients
// (its training). Each direction takes the algorithm its cudnnFind... call measures fastest for
// the shape and precision (searched once per shape, precision and direction in a process), its
// workspace allocated once. FP16 and BF16 may use tensor cores (FP32 sums); FP32 is held to FMA
// math, since tensor cores would round FP32 operands to TF32, which the FP32 check rule does not
// allow. Every call enqueues on the default stream.
#include <cudnn.h>

#include <memory>

#include "kernels/cuda/direct_conv.h"
#include "kernels/cuda/gpu_runtime.h"
#include "kernels/numerics/precision.h"

namespace npu {

// A shape's tensor, filter and convolution descriptors. Throws GpuError when cuDNN is missing,
// rejects the shape, or would pad it differently.
class CudnnShape {
public:
    CudnnShape(const DirectConvShape& s, Precision p);
    ~CudnnShape();
    CudnnShape(const CudnnShape&) = delete;
    CudnnShape& operator=(const CudnnShape&) = delete;

    cudnnHandle_t handle = nullptr;
    cudnnTensorDescriptor_t x = nullptr, y = nullptr;
    cudnnFilterDescriptor_t w = nullptr;
    cudnnConvolutionDescriptor_t conv = nullptr;
    DirectConvShape shape;
    Precision precision;

private:
    void release();
    void describe();
};

// One direction's chosen algorithm, math and workspace.
struct CudnnAlgorithm {
    int algorithm = 0;
    cudnnMathType_t math = CUDNN_DEFAULT_MATH;
    size_t workspace_bytes = 0;
    std::unique_ptr<DeviceBuffer> workspace;
};

// y = conv(x, w), as the vendor backend's float convolution runs it.
class CudnnConv {
public:
    CudnnConv(const DirectConvShape& s, Precision p, const void* x, const void* w, void* y);
    void run() const;

private:
    CudnnShape m_shape;
    CudnnAlgorithm m_forward;
    const void* m_x;
    const void* m_w;
    void* m_y;
};

// A training step's gradients of a convolution: dx = conv^T(dy, w) and dw = x (*) dy (both
// overwritten, not accumulated).
class CudnnConvBackward {
public:
    CudnnConvBackward(const DirectConvShape& s, Precision p);
    void data(const void* w, const void* dy, void* dx);
    void filter(const void* x, const void* dy, void* dw);

private:
    CudnnShape m_shape;
    CudnnAlgorithm m_data, m_filter;
    bool m_data_chosen = false, m_filter_chosen = false;
};

}  // namespace npu

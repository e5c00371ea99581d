#include <cuda_runtime.h>

#include <algorithm>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/naive_conv.h"

namespace npu {
namespace {

constexpr int kThreads = 256;

__device__ float clamp_float(float v, float lo, float hi) { return fminf(fmaxf(v, lo), hi); }

__global__ void conv_fp32_kernel(DirectConvShape s, const float* x, const float* w, const float* bias, float lo,
                                 float hi, float* y) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.outputs()) return;
    const OutputCoords o = output_coords(s, i);
    y[i] = clamp_float(direct_conv_sum<float>(s, o, x, w, WidenFloat{}) + bias[o.f], lo, hi);
}

__global__ void conv_fp16_kernel(DirectConvShape s, const Half* x, const Half* w, const float* bias, float lo, float hi,
                                 Half* y) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.outputs()) return;
    const OutputCoords o = output_coords(s, i);
    y[i] = float_to_half(clamp_float(direct_conv_sum<float>(s, o, x, w, WidenHalf{}) + bias[o.f], lo, hi));
}

__global__ void conv_int8_kernel(DirectConvShape s, const int8_t* x, const int8_t* w, const int32_t* bias,
                                 const QuantMultiplier* requant, Int8Clamp clamp, int8_t* y) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.outputs()) return;
    const OutputCoords o = output_coords(s, i);
    y[i] = requantize_output(direct_conv_sum<int32_t>(s, o, x, w, WidenInt8{}), bias[o.f], requant[o.f], clamp);
}

template <class T>
DeviceBuffer to_device(const std::vector<T>& v) {
    DeviceBuffer b(v.size() * sizeof(T));
    b.upload(v.data(), v.size() * sizeof(T));
    return b;
}

// One warm-up launch, then timing.timed_calls launches between two events.
template <class Launch>
void timed(Launch launch, GpuTiming& timing) {
    launch();
    cuda_check(cudaGetLastError(), "kernel launch");
    cudaEvent_t start, stop;
    cuda_check(cudaEventCreate(&start), "cudaEventCreate");
    cuda_check(cudaEventCreate(&stop), "cudaEventCreate");
    const int calls = std::max(1, timing.timed_calls);
    cuda_check(cudaDeviceSynchronize(), "the warm-up launch");
    if (timing.on_start) timing.on_start();
    cuda_check(cudaEventRecord(start), "cudaEventRecord");
    for (int k = 0; k < calls; ++k) launch();
    cuda_check(cudaEventRecord(stop), "cudaEventRecord");
    cuda_check(cudaEventSynchronize(stop), "the convolution kernel");
    if (timing.on_stop) timing.on_stop();
    float ms = 0.0f;
    cuda_check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
    timing.ms_per_call = double(ms) / calls;
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
}

unsigned blocks(const DirectConvShape& s) { return unsigned((s.outputs() + kThreads - 1) / kThreads); }

template <class T>
std::vector<T> download(const DeviceBuffer& b, int64_t count) {
    std::vector<T> out(static_cast<size_t>(count));
    b.download(out.data(), out.size() * sizeof(T));
    return out;
}

}  // namespace

std::vector<float> gpu_naive_conv_fp32(const DirectConvShape& s, const std::vector<float>& x,
                                       const std::vector<float>& w, const std::vector<float>& bias, float act_min,
                                       float act_max, GpuTiming& timing) {
    const DeviceBuffer dx = to_device(x), dw = to_device(w), db = to_device(bias);
    DeviceBuffer dy(size_t(s.outputs()) * sizeof(float));
    timed(
        [&] {
            conv_fp32_kernel<<<blocks(s), kThreads>>>(s, dx.as<float>(), dw.as<float>(), db.as<float>(), act_min,
                                                      act_max, dy.as<float>());
        },
        timing);
    return download<float>(dy, s.outputs());
}

std::vector<Half> gpu_naive_conv_fp16(const DirectConvShape& s, const std::vector<Half>& x, const std::vector<Half>& w,
                                      const std::vector<float>& bias, float act_min, float act_max, GpuTiming& timing) {
    const DeviceBuffer dx = to_device(x), dw = to_device(w), db = to_device(bias);
    DeviceBuffer dy(size_t(s.outputs()) * sizeof(Half));
    timed(
        [&] {
            conv_fp16_kernel<<<blocks(s), kThreads>>>(s, dx.as<Half>(), dw.as<Half>(), db.as<float>(), act_min, act_max,
                                                      dy.as<Half>());
        },
        timing);
    return download<Half>(dy, s.outputs());
}

std::vector<int8_t> gpu_naive_conv_int8(const DirectConvShape& s, const std::vector<int8_t>& x,
                                        const std::vector<int8_t>& w, const std::vector<int32_t>& bias,
                                        const std::vector<QuantMultiplier>& requant, Int8Clamp clamp,
                                        GpuTiming& timing) {
    const DeviceBuffer dx = to_device(x), dw = to_device(w), db = to_device(bias), dq = to_device(requant);
    DeviceBuffer dy(size_t(s.outputs()));
    timed(
        [&] {
            conv_int8_kernel<<<blocks(s), kThreads>>>(s, dx.as<int8_t>(), dw.as<int8_t>(), db.as<int32_t>(),
                                                      dq.as<QuantMultiplier>(), clamp, dy.as<int8_t>());
        },
        timing);
    return download<int8_t>(dy, s.outputs());
}

}  // namespace npu

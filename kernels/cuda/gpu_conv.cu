#include <cuda_runtime.h>

#include <algorithm>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/gpu_conv.h"
#include "kernels/cuda/tiled_conv.cuh"

namespace npu {
namespace {

constexpr int kThreads = 256;

__device__ float clamp_float(float v, float lo, float hi) { return fminf(fmaxf(v, lo), hi); }

// What every kernel does with an output's sum: bias, activation, rounding or requantization.
struct FloatOut {
    float* y;
    const float* bias;
    float lo, hi;
    __device__ void operator()(float sum, int64_t i, int64_t f) const { y[i] = clamp_float(sum + bias[f], lo, hi); }
};
struct HalfOut {
    Half* y;
    const float* bias;
    float lo, hi;
    __device__ void operator()(float sum, int64_t i, int64_t f) const {
        y[i] = float_to_half(clamp_float(sum + bias[f], lo, hi));
    }
};
struct Int8Out {
    int8_t* y;
    const int32_t* bias;
    const QuantMultiplier* requant;
    Int8Clamp clamp;
    __device__ void operator()(int32_t sum, int64_t i, int64_t f) const {
        y[i] = requantize_output(sum, bias[f], requant[f], clamp);
    }
};

// One thread per output element: the direct sum over its window.
template <class T, class Acc, class Widen, class Epilogue>
__global__ void naive_conv_kernel(DirectConvShape s, const T* x, const T* w, Widen widen, Epilogue out) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.outputs()) return;
    const OutputCoords o = output_coords(s, i);
    out(direct_conv_sum<Acc>(s, o, x, w, widen), i, o.f);
}

template <class T, class Acc, class Widen, class Epilogue>
void launch(ConvKernel kernel, const DirectConvShape& s, const T* x, const T* w, Widen widen, Epilogue out) {
    if (kernel == ConvKernel::Tiled)
        tiled_conv_kernel<T, Acc><<<tiled_grid(s), kTileThreads>>>(s, x, w, widen, out);
    else
        naive_conv_kernel<T, Acc><<<unsigned((s.outputs() + kThreads - 1) / kThreads), kThreads>>>(s, x, w, widen, out);
}

template <class T>
DeviceBuffer to_device(const std::vector<T>& v) {
    DeviceBuffer b(v.size() * sizeof(T));
    b.upload(v.data(), v.size() * sizeof(T));
    return b;
}

// One warm-up launch, then timing.timed_calls launches between two events.
template <class Launch>
void timed(Launch launch_once, GpuTiming& timing) {
    launch_once();
    cuda_check(cudaGetLastError(), "kernel launch");
    cudaEvent_t start, stop;
    cuda_check(cudaEventCreate(&start), "cudaEventCreate");
    cuda_check(cudaEventCreate(&stop), "cudaEventCreate");
    const int calls = std::max(1, timing.timed_calls);
    cuda_check(cudaDeviceSynchronize(), "the warm-up launch");
    if (timing.on_start) timing.on_start();
    cuda_check(cudaEventRecord(start), "cudaEventRecord");
    for (int k = 0; k < calls; ++k) launch_once();
    cuda_check(cudaEventRecord(stop), "cudaEventRecord");
    cuda_check(cudaEventSynchronize(stop), "the convolution kernel");
    if (timing.on_stop) timing.on_stop();
    float ms = 0.0f;
    cuda_check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
    timing.ms_per_call = double(ms) / calls;
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
}

template <class T>
std::vector<T> download(const DeviceBuffer& b, int64_t count) {
    std::vector<T> out(static_cast<size_t>(count));
    b.download(out.data(), out.size() * sizeof(T));
    return out;
}

}  // namespace

const char* conv_kernel_name(ConvKernel k) { return k == ConvKernel::Tiled ? "tiled" : "naive"; }

bool parse_conv_kernel(const std::string& name, ConvKernel& out) {
    if (name == "naive")
        out = ConvKernel::Naive;
    else if (name == "tiled")
        out = ConvKernel::Tiled;
    else
        return false;
    return true;
}

std::vector<float> gpu_conv_fp32(ConvKernel kernel, const DirectConvShape& s, const std::vector<float>& x,
                                 const std::vector<float>& w, const std::vector<float>& bias, float act_min,
                                 float act_max, GpuTiming& timing) {
    const DeviceBuffer dx = to_device(x), dw = to_device(w), db = to_device(bias);
    DeviceBuffer dy(size_t(s.outputs()) * sizeof(float));
    const FloatOut out{dy.as<float>(), db.as<float>(), act_min, act_max};
    timed([&] { launch<float, float>(kernel, s, dx.as<float>(), dw.as<float>(), WidenFloat{}, out); }, timing);
    return download<float>(dy, s.outputs());
}

std::vector<Half> gpu_conv_fp16(ConvKernel kernel, const DirectConvShape& s, const std::vector<Half>& x,
                                const std::vector<Half>& w, const std::vector<float>& bias, float act_min,
                                float act_max, GpuTiming& timing) {
    const DeviceBuffer dx = to_device(x), dw = to_device(w), db = to_device(bias);
    DeviceBuffer dy(size_t(s.outputs()) * sizeof(Half));
    const HalfOut out{dy.as<Half>(), db.as<float>(), act_min, act_max};
    timed([&] { launch<Half, float>(kernel, s, dx.as<Half>(), dw.as<Half>(), WidenHalf{}, out); }, timing);
    return download<Half>(dy, s.outputs());
}

std::vector<int8_t> gpu_conv_int8(ConvKernel kernel, const DirectConvShape& s, const std::vector<int8_t>& x,
                                  const std::vector<int8_t>& w, const std::vector<int32_t>& bias,
                                  const std::vector<QuantMultiplier>& requant, Int8Clamp clamp, GpuTiming& timing) {
    const DeviceBuffer dx = to_device(x), dw = to_device(w), db = to_device(bias), dq = to_device(requant);
    DeviceBuffer dy(size_t(s.outputs()));
    const Int8Out out{dy.as<int8_t>(), db.as<int32_t>(), dq.as<QuantMultiplier>(), clamp};
    timed([&] { launch<int8_t, int32_t>(kernel, s, dx.as<int8_t>(), dw.as<int8_t>(), WidenInt8{}, out); }, timing);
    return download<int8_t>(dy, s.outputs());
}

}  // namespace npu

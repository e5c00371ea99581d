#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>

#include "kernels/cuda/conv_epilogue.cuh"
#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/gpu_conv.h"
#include "kernels/cuda/gpu_launch.cuh"
#include "kernels/cuda/host_values.h"
#include "kernels/cuda/mma_gemm.cuh"
#include "kernels/cuda/tiled_gemm.cuh"
#include "kernels/cuda/vendor_conv.cuh"

namespace npu {
namespace {

constexpr int kThreads = 256;

// One thread per output element: the direct sum over its window.
template <class T, class Acc, class Widen, class Epilogue>
__global__ void naive_conv_kernel(DirectConvShape s, const T* x, const T* w, Widen widen, Epilogue out) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.outputs()) return;
    const OutputCoords o = output_coords(s, i);
    out(direct_conv_sum<Acc>(s, o, x, w, widen), i, o.f);
}

// One launch of an own kernel (naive, tiled or mma).
template <class T, class Acc, class Widen, class Epilogue>
void launch(ConvKernel kernel, const DirectConvShape& s, const T* x, const T* w, Widen widen, Epilogue out) {
    if (kernel == ConvKernel::Tiled) {
        tiled_kernel<T, Acc><<<tiled_grid(ConvView{s}), kTileThreads>>>(ConvView{s}, x, w, widen, out);
    } else if (kernel == ConvKernel::Mma) {
        if constexpr (MmaOperand<T>::available)
            mma_kernel<T><<<mma_grid(ConvView{s}), kMmaThreads>>>(ConvView{s}, x, w, out);
    } else {
        naive_conv_kernel<T, Acc><<<unsigned((s.outputs() + kThreads - 1) / kThreads), kThreads>>>(s, x, w, widen, out);
    }
}

void require_support(ConvKernel kernel, Precision p) {
    if (!conv_kernel_supports(kernel, p)) throw GpuError(missing_precision(kernel, p));
}

// A float convolution (FP32, FP16 or BF16 operands of type T; Out the epilogue writing T).
template <class T, class Widen, class Out>
std::vector<T> float_conv(ConvKernel kernel, Precision p, const DirectConvShape& s, const std::vector<T>& x,
                          const std::vector<T>& w, const std::vector<float>& bias, float lo, float hi,
                          GpuTiming& timing) {
    require_support(kernel, p);
    const DeviceBuffer dx = to_device(x), dw = to_device(w), db = to_device(bias);
    DeviceBuffer dy(size_t(s.outputs()) * sizeof(T));
    const Out out{dy.as<T>(), db.as<float>(), lo, hi};
    if (kernel == ConvKernel::Vendor) {
        const bool epilogue = std::isfinite(lo) || std::isfinite(hi) ||
                              std::any_of(bias.begin(), bias.end(), [](float b) { return b != 0.0f; });
        const VendorFloatConv<T, Widen, Out> conv(s, p, dx.as<T>(), dw.as<T>(), dy.as<T>(), out, epilogue);
        timed(conv, timing);
    } else {
        timed([&] { launch<T, float>(kernel, s, dx.as<T>(), dw.as<T>(), Widen{}, out); }, timing);
    }
    return download<T>(dy, s.outputs());
}

}  // namespace

std::vector<float> gpu_conv_fp32(ConvKernel kernel, const DirectConvShape& s, const std::vector<float>& x,
                                 const std::vector<float>& w, const std::vector<float>& bias, float act_min,
                                 float act_max, GpuTiming& timing) {
    return float_conv<float, WidenFloat, FloatOut>(kernel, Precision::Fp32, s, x, w, bias, act_min, act_max, timing);
}

std::vector<Half> gpu_conv_fp16(ConvKernel kernel, const DirectConvShape& s, const std::vector<Half>& x,
                                const std::vector<Half>& w, const std::vector<float>& bias, float act_min,
                                float act_max, GpuTiming& timing) {
    return float_conv<Half, WidenHalf, HalfOut>(kernel, Precision::Fp16, s, x, w, bias, act_min, act_max, timing);
}

std::vector<Bf16> gpu_conv_bf16(ConvKernel kernel, const DirectConvShape& s, const std::vector<Bf16>& x,
                                const std::vector<Bf16>& w, const std::vector<float>& bias, float act_min,
                                float act_max, GpuTiming& timing) {
    return float_conv<Bf16, WidenBf16, Bf16Out>(kernel, Precision::Bf16, s, x, w, bias, act_min, act_max, timing);
}

ActivationRange activation_range(Activation a) {
    return {a == Activation::None ? -INFINITY : 0.0f, a == Activation::Relu6 ? 6.0f : INFINITY};
}

std::vector<float> gpu_conv_float(ConvKernel kernel, Precision p, const DirectConvShape& s, const std::vector<float>& x,
                                  const std::vector<float>& w, const std::vector<float>& bias, ActivationRange r,
                                  GpuTiming& timing) {
    if (p == Precision::Fp16)
        return decoded(gpu_conv_fp16(kernel, s, encoded<Half>(x, float_to_half), encoded<Half>(w, float_to_half), bias,
                                     r.lo, r.hi, timing),
                       half_to_float);
    if (p == Precision::Bf16)
        return decoded(gpu_conv_bf16(kernel, s, encoded<Bf16>(x, float_to_bf16), encoded<Bf16>(w, float_to_bf16), bias,
                                     r.lo, r.hi, timing),
                       bf16_to_float);
    if (p == Precision::Fp32) return gpu_conv_fp32(kernel, s, x, w, bias, r.lo, r.hi, timing);
    throw GpuError("gpu_conv_float: int8 goes through gpu_conv_int8");
}

std::vector<int8_t> gpu_conv_int8(ConvKernel kernel, const DirectConvShape& s, const std::vector<int8_t>& x,
                                  const std::vector<int8_t>& w, const std::vector<int32_t>& bias,
                                  const std::vector<QuantMultiplier>& requant, Int8Clamp clamp, GpuTiming& timing) {
    const bool vendor = kernel == ConvKernel::Vendor;
    const DeviceBuffer dx = to_device(x), db = to_device(bias), dq = to_device(requant);
    const DeviceBuffer dw = to_device(vendor ? gemm_weights(s, int8_gemm_plan(s), w) : w);
    DeviceBuffer dy(size_t(s.outputs()));
    const Int8Out out{dy.as<int8_t>(), db.as<int32_t>(), dq.as<QuantMultiplier>(), clamp};
    if (vendor) {
        const VendorInt8Conv conv(s, dx.as<int8_t>(), dw.as<int8_t>(), out);
        timed(conv, timing);
    } else {
        timed([&] { launch<int8_t, int32_t>(kernel, s, dx.as<int8_t>(), dw.as<int8_t>(), WidenInt8{}, out); }, timing);
    }
    return download<int8_t>(dy, s.outputs());
}

}  // namespace npu

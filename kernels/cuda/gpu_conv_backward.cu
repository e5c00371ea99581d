#include <cuda_runtime.h>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/cudnn_conv.h"
#include "kernels/cuda/gpu_conv_backward.h"
#include "kernels/cuda/gpu_launch.cuh"
#include "kernels/cuda/host_values.h"
#include "kernels/numerics/element.h"

namespace npu {
namespace {

std::vector<float> bias_gradient(const DirectConvShape& s, Precision p, const std::vector<float>& dz) {
    std::vector<float> db(static_cast<size_t>(s.f), 0.0f);
    const int64_t pixels = s.oh * s.ow;
    for (int64_t n = 0; n < s.n; ++n)
        for (int64_t f = 0; f < s.f; ++f)
            for (int64_t i = 0; i < pixels; ++i) db[size_t(f)] += dz[size_t((n * s.f + f) * pixels + i)];
    for (float& v : db) v = round_to(v, p);
    return db;
}

template <class T, class Encode, class Decode>
ConvGradients backward(const DirectConvShape& s, Precision p, const std::vector<float>& x, const std::vector<float>& w,
                       const std::vector<float>& dz, bool input, Encode encode, Decode decode) {
    const DeviceBuffer dx_in = to_device(encoded<T>(x, encode)), dw_in = to_device(encoded<T>(w, encode));
    const DeviceBuffer ddz = to_device(encoded<T>(dz, encode));
    DeviceBuffer dw(size_t(s.weights()) * sizeof(T)), dx(size_t(input ? s.inputs() : 1) * sizeof(T));
    CudnnConvBackward conv(s, p);
    conv.filter(dx_in.get(), ddz.get(), dw.get());
    if (input) conv.data(dw_in.get(), ddz.get(), dx.get());
    cuda_check(cudaDeviceSynchronize(), "cuDNN's backward convolutions");
    ConvGradients g;
    g.weight = decoded(download<T>(dw, s.weights()), decode);
    if (input) g.input = decoded(download<T>(dx, s.inputs()), decode);
    return g;
}

}  // namespace

ConvGradients cudnn_conv_backward(const DirectConvShape& s, Precision p, const std::vector<float>& x,
                                  const std::vector<float>& w, const std::vector<float>& dz, bool bias, bool input) {
    if (int64_t(x.size()) != s.inputs() || int64_t(w.size()) != s.weights() || int64_t(dz.size()) != s.outputs())
        throw GpuError("cudnn_conv_backward: x, w or dz does not match the shape");
    ConvGradients g;
    if (p == Precision::Fp16)
        g = backward<Half>(s, p, x, w, dz, input, float_to_half, half_to_float);
    else if (p == Precision::Bf16)
        g = backward<Bf16>(s, p, x, w, dz, input, float_to_bf16, bf16_to_float);
    else if (p == Precision::Fp32)
        g = backward<float>(
            s, p, x, w, dz, input, [](float v) { return v; }, [](float v) { return v; });
    else
        throw GpuError("cudnn_conv_backward: training has no int8");
    if (bias) g.bias = bias_gradient(s, p, dz);
    return g;
}

}  // namespace npu

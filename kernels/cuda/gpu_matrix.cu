#include <cmath>

#include "kernels/cuda/conv_epilogue.cuh"
#include "kernels/cuda/gpu_launch.cuh"
#include "kernels/cuda/gpu_matrix.h"
#include "kernels/cuda/host_values.h"
#include "kernels/cuda/lt_gemm.h"
#include "kernels/cuda/mma_gemm.cuh"
#include "kernels/cuda/tiled_gemm.cuh"

namespace npu {
namespace {

constexpr int kThreads = 256;

LtGemmKind lt_kind(Precision p) {
    if (p == Precision::Fp16) return LtGemmKind::Fp16ToFp16;
    if (p == Precision::Bf16) return LtGemmKind::Bf16ToBf16;
    return LtGemmKind::Fp32ToFp32;
}

// One product in storage type T (Out: the epilogue writing T; its bias: N zeros).
template <class T, class Widen, class Out, class Decode>
std::vector<float> product(ConvKernel kernel, Precision p, const MatrixProduct& s, const std::vector<T>& a,
                           const std::vector<T>& b, Decode decode) {
    const DeviceBuffer da = to_device(a), db = to_device(b);
    const DeviceBuffer zeros = to_device(std::vector<float>(static_cast<size_t>(s.n), 0.0f));
    DeviceBuffer dc(size_t(s.m * s.n) * sizeof(T));
    const GemmView view{s.m, s.k, s.n, s.a_transposed, s.b_transposed};
    const Out out{dc.as<T>(), zeros.as<float>(), -INFINITY, INFINITY};
    GpuTiming once;
    once.timed_calls = 0;  // values only
    if (kernel == ConvKernel::Vendor) {
        const LtGemm gemm(lt_kind(p), {1, s.m, s.k, s.n, s.a_transposed, s.b_transposed}, da.get(), db.get(), dc.get());
        timed([&] { gemm.run(); }, once);
    } else if (kernel == ConvKernel::Tiled) {
        timed(
            [&] {
                tiled_kernel<T, float><<<tiled_grid(view), kTileThreads>>>(view, da.as<T>(), db.as<T>(), Widen{}, out);
            },
            once);
    } else if (kernel == ConvKernel::Mma) {
        if constexpr (MmaOperand<T>::available)
            timed([&] { mma_kernel<T><<<mma_grid(view), kMmaThreads>>>(view, da.as<T>(), db.as<T>(), out); }, once);
    } else {
        const unsigned blocks = unsigned((s.m * s.n + kThreads - 1) / kThreads);
        timed([&] { naive_gemm_kernel<T, float><<<blocks, kThreads>>>(view, da.as<T>(), db.as<T>(), Widen{}, out); },
              once);
    }
    return decoded(download<T>(dc, s.m * s.n), decode);
}

}  // namespace

std::vector<float> gpu_matrix_product(ConvKernel kernel, Precision p, const MatrixProduct& s,
                                      const std::vector<float>& a, const std::vector<float>& b) {
    if (p == Precision::Int8) throw GpuError("gpu_matrix_product: training GEMMs are float (fp32, fp16, bf16)");
    if (!conv_kernel_supports(kernel, p)) throw GpuError(missing_precision(kernel, p));
    if (int64_t(a.size()) != s.m * s.k || int64_t(b.size()) != s.k * s.n)
        throw GpuError("gpu_matrix_product: operand sizes do not match M x K and K x N");
    if (s.m == 0 || s.n == 0) return {};
    if (p == Precision::Fp16)
        return product<Half, WidenHalf, HalfOut>(kernel, p, s, encoded<Half>(a, float_to_half),
                                                 encoded<Half>(b, float_to_half), half_to_float);
    if (p == Precision::Bf16)
        return product<Bf16, WidenBf16, Bf16Out>(kernel, p, s, encoded<Bf16>(a, float_to_bf16),
                                                 encoded<Bf16>(b, float_to_bf16), bf16_to_float);
    return product<float, WidenFloat, FloatOut>(kernel, p, s, a, b, [](float v) { return v; });
}

}  // namespace npu

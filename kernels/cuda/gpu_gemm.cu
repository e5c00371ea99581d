#include "kernels/cuda/conv_epilogue.cuh"
#include "kernels/cuda/gpu_gemm.h"
#include "kernels/cuda/gpu_launch.cuh"
#include "kernels/cuda/lt_gemm.h"
#include "kernels/cuda/mma_gemm.cuh"

namespace npu {

std::vector<Half> gpu_gemm_fp16(ConvKernel kernel, int64_t m, int64_t k, int64_t n, const std::vector<Half>& a,
                                const std::vector<Half>& b, GpuTiming& timing) {
    if (kernel != ConvKernel::Mma && kernel != ConvKernel::Vendor)
        throw GpuError(std::string("gpu_gemm_fp16: the ") + conv_kernel_name(kernel) + " backend has no GEMM");
    if (int64_t(a.size()) != m * k || int64_t(b.size()) != n * k)
        throw GpuError("gpu_gemm_fp16: operand sizes are not M x K and N x K");
    const DeviceBuffer da = to_device(a), db = to_device(b);
    const DeviceBuffer zero_bias = to_device(std::vector<float>(static_cast<size_t>(n), 0.0f));
    DeviceBuffer dc(size_t(m * n) * sizeof(Half));
    if (kernel == ConvKernel::Vendor) {
        const LtGemm gemm(LtGemmKind::Fp16ToFp16, {1, m, k, n}, da.get(), db.get(), dc.get());
        timed([&] { gemm.run(); }, timing);
    } else {
        const GemmView view{m, k, n};
        const HalfOut out{dc.as<Half>(), zero_bias.as<float>(), -INFINITY, INFINITY};
        timed([&] { mma_kernel<Half><<<mma_grid(view), kMmaThreads>>>(view, da.as<Half>(), db.as<Half>(), out); },
              timing);
    }
    return download<Half>(dc, m * n);
}

}  // namespace npu

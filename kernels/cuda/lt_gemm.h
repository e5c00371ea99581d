#pragma once
// Batched GEMMs through cuBLASLt: per batch the row-major C [M][N] = op(A) op(B), A stored
// [M][K] (or [K][M], transposed) and B [K][N] (or [N][K], transposed: the default), one
// strided-batched cublasLtMatmul with the heuristic's first algorithm and a 32 MiB workspace.
// Used for the vendor backend's INT8 convolution (int8 operands, CUBLAS_COMPUTE_32I, exact int32
// sums, B transposed and A not: the "TN" form its int8 kernels require; vendor_plan.h pads K
// and N to their alignment), the FP16 GEMM baseline the mma kernel is measured against, and the
// training GEMMs in FP32, FP16 and BF16 (FP32 sums; FP32 with CUBLAS_COMPUTE_32F, never TF32).
#include <cublasLt.h>

#include <cstdint>

#include "kernels/cuda/gpu_runtime.h"

namespace npu {

struct LtGemmShape {
    int64_t batches = 1, m = 0, k = 0, n = 0;
    bool a_transposed = false, b_transposed = true;
};

enum class LtGemmKind { Int8ToInt32, Fp16ToFp16, Bf16ToBf16, Fp32ToFp32 };

class LtGemm {
public:
    // Throws GpuError when cuBLASLt is missing or has no algorithm for the shape.
    LtGemm(LtGemmKind kind, const LtGemmShape& shape, const void* a, const void* b, void* c);
    ~LtGemm();
    LtGemm(const LtGemm&) = delete;
    LtGemm& operator=(const LtGemm&) = delete;

    void run() const;  // enqueues the GEMMs on the default stream

private:
    void release();
    void describe(LtGemmKind kind, const LtGemmShape& shape);

    static constexpr size_t kWorkspaceBytes = size_t(32) << 20;
    LtGemmKind m_kind;
    cublasLtHandle_t m_handle = nullptr;
    cublasLtMatmulDesc_t m_desc = nullptr;
    cublasLtMatrixLayout_t m_b_layout = nullptr, m_a_layout = nullptr, m_c_layout = nullptr;
    cublasLtMatmulHeuristicResult_t m_choice{};
    DeviceBuffer m_workspace{kWorkspaceBytes};
    const void* m_a;
    const void* m_b;
    void* m_c;
};

}  // namespace npu

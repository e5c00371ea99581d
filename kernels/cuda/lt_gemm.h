#pragma once
// Batched GEMMs through cuBLASLt: per batch C = A B^T with A [M][K] and B [N][K] row-major
// (K the leading dimension of both, N that of C), one strided-batched cublasLtMatmul with the
// heuristic's first algorithm and a 32 MiB workspace. Used for the vendor backend's INT8
// convolution (int8 operands, CUBLAS_COMPUTE_32I, exact int32 sums; vendor_plan.h pads K and N
// to the alignment its kernels need) and the FP16 GEMM baseline (FP16 operands and results,
// FP32 sums) that the mma kernel is measured against.
#include <cublasLt.h>

#include <cstdint>

#include "kernels/cuda/gpu_runtime.h"

namespace npu {

struct LtGemmShape {
    int64_t batches = 1, m = 0, k = 0, n = 0;  // k and n: also the leading dimensions
};

enum class LtGemmKind { Int8ToInt32, Fp16ToFp16 };

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

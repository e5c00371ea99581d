#pragma once
// The INT8 GEMMs of the vendor backend's convolution (vendor_plan.h): per group C = A B^T with
// int8 A [M][Kp] and B [Np][Kp] and exact int32 C [M][Np], one strided-batched cublasLtMatmul
// (CUBLAS_COMPUTE_32I, int32 scaling, the heuristic's first algorithm, a 32 MiB workspace).
#include <cublasLt.h>

#include <cstdint>

#include "kernels/cuda/gpu_runtime.h"
#include "kernels/cuda/vendor_plan.h"

namespace npu {

class LtInt8Gemm {
public:
    // Throws GpuError when cuBLASLt is missing or has no algorithm for the plan.
    LtInt8Gemm(const Int8GemmPlan& plan, const int8_t* a, const int8_t* b, int32_t* c);
    ~LtInt8Gemm();
    LtInt8Gemm(const LtInt8Gemm&) = delete;
    LtInt8Gemm& operator=(const LtInt8Gemm&) = delete;

    void run() const;  // enqueues the GEMMs on the default stream

private:
    void release();
    void describe(const Int8GemmPlan& plan);

    static constexpr size_t kWorkspaceBytes = size_t(32) << 20;
    cublasLtHandle_t m_handle = nullptr;
    cublasLtMatmulDesc_t m_desc = nullptr;
    cublasLtMatrixLayout_t m_weights = nullptr, m_columns = nullptr, m_sums = nullptr;
    cublasLtMatmulHeuristicResult_t m_choice{};
    DeviceBuffer m_workspace{kWorkspaceBytes};
    const int8_t* m_a;
    const int8_t* m_b;
    int32_t* m_c;
};

}  // namespace npu

#include "kernels/cuda/lt_gemm.h"

#include <fmt/format.h>

#include "kernels/cuda/vendor_libs.h"

namespace npu {
namespace {

template <class T>
void set_layout(const CublasLtApi& api, cublasLtMatrixLayout_t layout, cublasLtMatrixLayoutAttribute_t attribute,
                T value) {
    cublaslt_check(api.layout_set(layout, attribute, &value, sizeof(value)), "cublasLtMatrixLayoutSetAttribute");
}

// A column-major rows x cols matrix with leading dimension `ld`, `batches` of them `stride` apart.
cublasLtMatrixLayout_t layout(const CublasLtApi& api, cudaDataType_t type, int64_t rows, int64_t cols, int64_t ld,
                              int64_t batches, int64_t stride) {
    cublasLtMatrixLayout_t l = nullptr;
    cublaslt_check(api.layout_create(&l, type, uint64_t(rows), uint64_t(cols), ld), "cublasLtMatrixLayoutCreate");
    set_layout(api, l, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, int32_t(batches));
    set_layout(api, l, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, int64_t(stride));
    return l;
}

}  // namespace

LtGemm::LtGemm(LtGemmKind kind, const LtGemmShape& shape, const void* a, const void* b, void* c)
    : m_kind(kind), m_a(a), m_b(b), m_c(c) {
    const CublasLtApi& api = cublaslt_api();
    cublaslt_check(api.create(&m_handle), "cublasLtCreate");
    try {
        describe(kind, shape);
    } catch (...) {
        release();
        throw;
    }
}

LtGemm::~LtGemm() { release(); }

void LtGemm::release() {
    const CublasLtApi& api = cublaslt_api();
    if (m_c_layout) api.layout_destroy(m_c_layout);
    if (m_a_layout) api.layout_destroy(m_a_layout);
    if (m_b_layout) api.layout_destroy(m_b_layout);
    if (m_desc) api.desc_destroy(m_desc);
    if (m_handle) api.destroy(m_handle);
    m_c_layout = m_a_layout = m_b_layout = nullptr, m_desc = nullptr, m_handle = nullptr;
}

namespace {

cudaDataType_t operand_type(LtGemmKind kind) {
    switch (kind) {
        case LtGemmKind::Int8ToInt32: return CUDA_R_8I;
        case LtGemmKind::Fp16ToFp16: return CUDA_R_16F;
        case LtGemmKind::Bf16ToBf16: return CUDA_R_16BF;
        case LtGemmKind::Fp32ToFp32: break;
    }
    return CUDA_R_32F;
}

}  // namespace

// cuBLASLt is column-major: it sees the row-major C [M][N] as C^T (N x M) = op(B)^T op(A)^T, and
// a row-major buffer of R rows and C columns as a C x R matrix with leading dimension C. So B
// goes first: stored [N][K] (transposed) it is the K x N matrix whose transpose is wanted; stored
// [K][N] it is already op(B)^T. Likewise A second.
void LtGemm::describe(LtGemmKind kind, const LtGemmShape& p) {
    const CublasLtApi& api = cublaslt_api();
    const bool int8 = kind == LtGemmKind::Int8ToInt32;
    const cudaDataType_t operands = operand_type(kind), sums = int8 ? CUDA_R_32I : operands;
    cublaslt_check(
        api.desc_create(&m_desc, int8 ? CUBLAS_COMPUTE_32I : CUBLAS_COMPUTE_32F, int8 ? CUDA_R_32I : CUDA_R_32F),
        "cublasLtMatmulDescCreate");
    const cublasOperation_t first = p.b_transposed ? CUBLAS_OP_T : CUBLAS_OP_N;
    const cublasOperation_t second = p.a_transposed ? CUBLAS_OP_T : CUBLAS_OP_N;
    cublaslt_check(api.desc_set(m_desc, CUBLASLT_MATMUL_DESC_TRANSA, &first, sizeof(first)),
                   "cublasLtMatmulDescSetAttribute (TRANSA)");
    cublaslt_check(api.desc_set(m_desc, CUBLASLT_MATMUL_DESC_TRANSB, &second, sizeof(second)),
                   "cublasLtMatmulDescSetAttribute (TRANSB)");
    m_b_layout = p.b_transposed ? layout(api, operands, p.k, p.n, p.k, p.batches, p.n * p.k)
                                : layout(api, operands, p.n, p.k, p.n, p.batches, p.n * p.k);
    m_a_layout = p.a_transposed ? layout(api, operands, p.m, p.k, p.m, p.batches, p.m * p.k)
                                : layout(api, operands, p.k, p.m, p.k, p.batches, p.m * p.k);
    m_c_layout = layout(api, sums, p.n, p.m, p.n, p.batches, p.m * p.n);
    cublasLtMatmulPreference_t preference = nullptr;
    cublaslt_check(api.preference_create(&preference), "cublasLtMatmulPreferenceCreate");
    const uint64_t workspace = kWorkspaceBytes;
    int found = 0;
    const cublasStatus_t set =
        api.preference_set(preference, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace, sizeof(workspace));
    const cublasStatus_t asked = set != CUBLAS_STATUS_SUCCESS
                                     ? set
                                     : api.heuristic(m_handle, m_desc, m_b_layout, m_a_layout, m_c_layout, m_c_layout,
                                                     preference, 1, &m_choice, &found);
    api.preference_destroy(preference);
    cublaslt_check(asked, "cublasLtMatmulAlgoGetHeuristic");
    if (found == 0)
        throw GpuError(fmt::format("cuBLASLt has no GEMM algorithm for {} x {} x {} (CUDA data type {})", p.m, p.k, p.n,
                                   int(operands)));
}

void LtGemm::run() const {
    const int32_t alpha_i = 1, beta_i = 0;
    const float alpha_f = 1.0f, beta_f = 0.0f;
    const bool int8 = m_kind == LtGemmKind::Int8ToInt32;
    const void* alpha = int8 ? static_cast<const void*>(&alpha_i) : &alpha_f;
    const void* beta = int8 ? static_cast<const void*>(&beta_i) : &beta_f;
    cublaslt_check(
        cublaslt_api().matmul(m_handle, m_desc, alpha, m_b, m_b_layout, m_a, m_a_layout, beta, m_c, m_c_layout, m_c,
                              m_c_layout, &m_choice.algo, m_workspace.get(), kWorkspaceBytes, nullptr),
        "cublasLtMatmul");
}

}  // namespace npu

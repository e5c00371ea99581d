#include "kernels/cuda/lt_int8_gemm.h"

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

LtInt8Gemm::LtInt8Gemm(const Int8GemmPlan& plan, const int8_t* a, const int8_t* b, int32_t* c)
    : m_a(a), m_b(b), m_c(c) {
    const CublasLtApi& api = cublaslt_api();
    cublaslt_check(api.create(&m_handle), "cublasLtCreate");
    try {
        describe(plan);
    } catch (...) {
        release();
        throw;
    }
}

LtInt8Gemm::~LtInt8Gemm() { release(); }

void LtInt8Gemm::release() {
    const CublasLtApi& api = cublaslt_api();
    if (m_sums) api.layout_destroy(m_sums);
    if (m_columns) api.layout_destroy(m_columns);
    if (m_weights) api.layout_destroy(m_weights);
    if (m_desc) api.desc_destroy(m_desc);
    if (m_handle) api.destroy(m_handle);
    m_sums = m_columns = m_weights = nullptr, m_desc = nullptr, m_handle = nullptr;
}

// Column-major, as cuBLASLt sees the row-major buffers: the weights are Kp x Np (transposed by
// the operation), the im2col columns Kp x M, the sums Np x M.
void LtInt8Gemm::describe(const Int8GemmPlan& p) {
    const CublasLtApi& api = cublaslt_api();
    cublaslt_check(api.desc_create(&m_desc, CUBLAS_COMPUTE_32I, CUDA_R_32I), "cublasLtMatmulDescCreate");
    const cublasOperation_t transpose = CUBLAS_OP_T, keep = CUBLAS_OP_N;
    cublaslt_check(api.desc_set(m_desc, CUBLASLT_MATMUL_DESC_TRANSA, &transpose, sizeof(transpose)),
                   "cublasLtMatmulDescSetAttribute (TRANSA)");
    cublaslt_check(api.desc_set(m_desc, CUBLASLT_MATMUL_DESC_TRANSB, &keep, sizeof(keep)),
                   "cublasLtMatmulDescSetAttribute (TRANSB)");
    m_weights = layout(api, CUDA_R_8I, p.k_padded, p.n_padded, p.k_padded, p.groups, p.n_padded * p.k_padded);
    m_columns = layout(api, CUDA_R_8I, p.k_padded, p.m, p.k_padded, p.groups, p.m * p.k_padded);
    m_sums = layout(api, CUDA_R_32I, p.n_padded, p.m, p.n_padded, p.groups, p.m * p.n_padded);
    cublasLtMatmulPreference_t preference = nullptr;
    cublaslt_check(api.preference_create(&preference), "cublasLtMatmulPreferenceCreate");
    const uint64_t workspace = kWorkspaceBytes;
    int found = 0;
    const cublasStatus_t set =
        api.preference_set(preference, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace, sizeof(workspace));
    const cublasStatus_t asked =
        set != CUBLAS_STATUS_SUCCESS
            ? set
            : api.heuristic(m_handle, m_desc, m_weights, m_columns, m_sums, m_sums, preference, 1, &m_choice, &found);
    api.preference_destroy(preference);
    cublaslt_check(asked, "cublasLtMatmulAlgoGetHeuristic");
    if (found == 0) throw GpuError("cuBLASLt has no int8 GEMM algorithm for this layer's shape");
}

void LtInt8Gemm::run() const {
    const int32_t alpha = 1, beta = 0;
    cublaslt_check(cublaslt_api().matmul(m_handle, m_desc, &alpha, m_b, m_weights, m_a, m_columns, &beta, m_c, m_sums,
                                         m_c, m_sums, &m_choice.algo, m_workspace.get(), kWorkspaceBytes, nullptr),
                   "cublasLtMatmul");
}

}  // namespace npu

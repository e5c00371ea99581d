#pragma once
// The vendor backend's convolutions (conv_backend.h): cuDNN for FP32, FP16 and BF16, with the
// bias and activation applied after it in place by a pass of the shared epilogue (skipped when
// there is neither); INT8 as an im2col kernel, cuBLASLt's int8 GEMMs with int32 sums
// (vendor_plan.h's layouts), and the NPU's requantization in the epilogue, bit-exact. Each
// returns the launch sequence that the caller times. Included by gpu_conv.cu alone.
#include "kernels/cuda/conv_epilogue.cuh"
#include "kernels/cuda/cudnn_conv.h"
#include "kernels/cuda/lt_gemm.h"
#include "kernels/cuda/vendor_plan.h"

namespace npu {

constexpr int kVendorThreads = 256;

inline unsigned vendor_blocks(int64_t elements) { return unsigned((elements + kVendorThreads - 1) / kVendorThreads); }

// Reads cuDNN's output element (bias-free, unclamped) and lets the epilogue rewrite it.
template <class T, class Widen, class Epilogue>
__global__ void vendor_epilogue_kernel(DirectConvShape s, const T* y, Widen widen, Epilogue out) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < s.outputs()) out(widen(y, i), i, output_coords(s, i).f);
}

static __global__ void im2col_int8_kernel(DirectConvShape s, Int8GemmPlan p, const int8_t* x, int8_t* a) {
    const int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (e >= p.a_elements()) return;
    const int64_t source = im2col_source(s, p, e);
    a[e] = source >= 0 ? x[source] : int8_t(0);
}

static __global__ void gemm_requantize_kernel(DirectConvShape s, Int8GemmPlan p, const int32_t* c, Int8Out out) {
    const int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (e >= p.c_elements()) return;
    const int64_t index = gemm_output_index(s, p, e);
    if (index >= 0) out(c[e], index, gemm_output_channel(p, e));
}

// cuDNN into y, then the epilogue over y where `epilogue_needed`.
template <class T, class Widen, class Epilogue>
class VendorFloatConv {
public:
    VendorFloatConv(const DirectConvShape& s, Precision p, const T* x, const T* w, T* y, Epilogue out,
                    bool epilogue_needed)
        : m_shape(s), m_y(y), m_out(out), m_epilogue(epilogue_needed), m_conv(s, p, x, w, y) {}
    void operator()() const {
        m_conv.run();
        if (m_epilogue)
            vendor_epilogue_kernel<<<vendor_blocks(m_shape.outputs()), kVendorThreads>>>(m_shape, m_y, Widen{}, m_out);
    }

private:
    DirectConvShape m_shape;
    T* m_y;
    Epilogue m_out;
    bool m_epilogue;
    CudnnConv m_conv;
};

// im2col, the GEMMs, the requantization. `b` holds gemm_weights() already (constant operands are
// laid out once, as a deployed model's would be).
class VendorInt8Conv {
public:
    VendorInt8Conv(const DirectConvShape& s, const int8_t* x, const int8_t* b, Int8Out out)
        : m_shape(s),
          m_plan(int8_gemm_plan(s)),
          m_x(x),
          m_out(out),
          m_columns(size_t(m_plan.a_elements())),
          m_sums(size_t(m_plan.c_elements()) * sizeof(int32_t)),
          m_gemm(LtGemmKind::Int8ToInt32, {m_plan.groups, m_plan.m, m_plan.k_padded, m_plan.n_padded},
                 m_columns.as<int8_t>(), b, m_sums.as<int32_t>()) {}
    void operator()() const {
        im2col_int8_kernel<<<vendor_blocks(m_plan.a_elements()), kVendorThreads>>>(m_shape, m_plan, m_x,
                                                                                   m_columns.as<int8_t>());
        m_gemm.run();
        gemm_requantize_kernel<<<vendor_blocks(m_plan.c_elements()), kVendorThreads>>>(m_shape, m_plan,
                                                                                       m_sums.as<int32_t>(), m_out);
    }

private:
    DirectConvShape m_shape;
    Int8GemmPlan m_plan;
    const int8_t* m_x;
    Int8Out m_out;
    DeviceBuffer m_columns, m_sums;
    LtGemm m_gemm;
};

}  // namespace npu

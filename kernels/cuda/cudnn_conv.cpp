#include "kernels/cuda/cudnn_conv.h"

#include <fmt/format.h>

#include <array>
#include <map>

#include "kernels/cuda/vendor_libs.h"
#include "kernels/cuda/vendor_plan.h"

namespace npu {
namespace {

cudnnDataType_t cudnn_type(Precision p) {
    switch (p) {
        case Precision::Fp16: return CUDNN_DATA_HALF;
        case Precision::Bf16: return CUDNN_DATA_BFLOAT16;
        case Precision::Fp32: return CUDNN_DATA_FLOAT;
        case Precision::Int8: break;
    }
    throw GpuError("cuDNN's path of the vendor backend has no INT8 (INT8 goes through cuBLASLt)");
}

// What cudnnFind chose for a shape and precision, kept for the process: a second convolution of
// the same shape (every training step, every call of a timed loop's calibration) skips the search.
struct Choice {
    cudnnConvolutionFwdAlgo_t algorithm;
    cudnnMathType_t math;
    size_t workspace_bytes;
};
using ChoiceKey = std::array<int64_t, 17>;

ChoiceKey choice_key(const DirectConvShape& s, Precision p) {
    return {s.n,        s.c,        s.h,       s.w,        s.f,          s.oh,         s.ow,     s.kh,      s.kw,
            s.stride_h, s.stride_w, s.pad_top, s.pad_left, s.dilation_h, s.dilation_w, s.groups, int64_t(p)};
}

std::map<ChoiceKey, Choice>& choices() {
    static std::map<ChoiceKey, Choice> chosen;
    return chosen;
}

bool tensor_op(cudnnMathType_t m) { return m == CUDNN_TENSOR_OP_MATH || m == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION; }

}  // namespace

CudnnConv::CudnnConv(const DirectConvShape& s, Precision p, const void* x, const void* w, void* y)
    : m_x_data(x), m_w_data(w), m_y_data(y) {
    if (!symmetric_padding_fits(s))
        throw GpuError(
            fmt::format("cuDNN pads symmetrically, and padding {}x{} does not give this layer's {}x{} "
                        "output (use the own kernels for it)",
                        s.pad_top, s.pad_left, s.oh, s.ow));
    const CudnnApi& api = cudnn_api();
    cudnn_check(api.create(&m_handle), "cudnnCreate");
    try {
        describe(s, p);
        const ChoiceKey key = choice_key(s, p);
        if (const auto found = choices().find(key); found != choices().end()) {
            m_algorithm = found->second.algorithm;
            m_workspace_bytes = found->second.workspace_bytes;
            cudnn_check(api.set_math_type(m_conv, found->second.math), "cudnnSetConvolutionMathType");
            m_workspace = std::make_unique<DeviceBuffer>(m_workspace_bytes);
        } else {
            choose_algorithm(p);
            choices()[key] = {m_algorithm, m_math, m_workspace_bytes};
        }
    } catch (...) {
        release();
        throw;
    }
}

CudnnConv::~CudnnConv() { release(); }

void CudnnConv::release() {
    const CudnnApi& api = cudnn_api();
    if (m_conv) api.destroy_conv(m_conv);
    if (m_w) api.destroy_filter(m_w);
    if (m_y) api.destroy_tensor(m_y);
    if (m_x) api.destroy_tensor(m_x);
    if (m_handle) api.destroy(m_handle);
    m_conv = nullptr, m_w = nullptr, m_y = nullptr, m_x = nullptr, m_handle = nullptr;
}

void CudnnConv::describe(const DirectConvShape& s, Precision p) {
    const CudnnApi& api = cudnn_api();
    const cudnnDataType_t type = cudnn_type(p);
    cudnn_check(api.create_tensor(&m_x), "cudnnCreateTensorDescriptor");
    cudnn_check(api.create_tensor(&m_y), "cudnnCreateTensorDescriptor");
    cudnn_check(api.create_filter(&m_w), "cudnnCreateFilterDescriptor");
    cudnn_check(api.create_conv(&m_conv), "cudnnCreateConvolutionDescriptor");
    cudnn_check(api.set_tensor_4d(m_x, CUDNN_TENSOR_NCHW, type, int(s.n), int(s.c), int(s.h), int(s.w)),
                "cudnnSetTensor4dDescriptor (input)");
    cudnn_check(api.set_filter_4d(m_w, type, CUDNN_TENSOR_NCHW, int(s.f), int(s.in_per_group()), int(s.kh), int(s.kw)),
                "cudnnSetFilter4dDescriptor");
    cudnn_check(api.set_conv_2d(m_conv, int(s.pad_top), int(s.pad_left), int(s.stride_h), int(s.stride_w),
                                int(s.dilation_h), int(s.dilation_w), CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
                "cudnnSetConvolution2dDescriptor");
    cudnn_check(api.set_group_count(m_conv, int(s.groups)), "cudnnSetConvolutionGroupCount");
    int n = 0, c = 0, h = 0, w = 0;
    cudnn_check(api.output_dim(m_conv, m_x, m_w, &n, &c, &h, &w), "cudnnGetConvolution2dForwardOutputDim");
    if (n != s.n || c != s.f || h != s.oh || w != s.ow)
        throw GpuError(
            fmt::format("cuDNN's output {}x{}x{}x{} is not the layer's {}x{}x{}x{}", n, c, h, w, s.n, s.f, s.oh, s.ow));
    cudnn_check(api.set_tensor_4d(m_y, CUDNN_TENSOR_NCHW, type, n, c, h, w), "cudnnSetTensor4dDescriptor (output)");
}

// Measures every algorithm cuDNN offers for the shape (it allocates its own scratch memory) and
// keeps the fastest that succeeded; FP32 only among those without tensor-op math.
void CudnnConv::choose_algorithm(Precision p) {
    const CudnnApi& api = cudnn_api();
    const bool fp32 = p == Precision::Fp32;
    cudnn_check(api.set_math_type(m_conv, fp32 ? CUDNN_FMA_MATH : CUDNN_TENSOR_OP_MATH), "cudnnSetConvolutionMathType");
    cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
    int returned = 0;
    cudnn_check(api.find_forward(m_handle, m_x, m_w, m_conv, m_y, CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &returned, perf),
                "cudnnFindConvolutionForwardAlgorithm");
    for (int i = 0; i < returned; ++i) {  // fastest first
        if (perf[i].status != CUDNN_STATUS_SUCCESS || (fp32 && tensor_op(perf[i].mathType))) continue;
        m_algorithm = perf[i].algo;
        m_workspace_bytes = perf[i].memory;
        m_math = fp32 ? CUDNN_FMA_MATH : perf[i].mathType;
        cudnn_check(api.set_math_type(m_conv, m_math), "cudnnSetConvolutionMathType");
        m_workspace = std::make_unique<DeviceBuffer>(m_workspace_bytes);
        return;
    }
    throw GpuError(fmt::format("cuDNN found no algorithm for this {} convolution", precision_name(p)));
}

void CudnnConv::run() const {
    const float alpha = 1.0f, beta = 0.0f;  // float scaling for FLOAT, HALF and BFLOAT16 data
    cudnn_check(cudnn_api().forward(m_handle, &alpha, m_x, m_x_data, m_w, m_w_data, m_conv, m_algorithm,
                                    m_workspace->get(), m_workspace_bytes, &beta, m_y, m_y_data),
                "cudnnConvolutionForward");
}

}  // namespace npu

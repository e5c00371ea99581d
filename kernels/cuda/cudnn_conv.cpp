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

enum class Direction { Forward, BackwardData, BackwardFilter };

// What a cudnnFind call chose for a shape, precision and direction, kept for the process: a
// second convolution of the same shape (every training step, a timed loop's calibration) skips
// the search.
struct Choice {
    int algorithm;
    cudnnMathType_t math;
    size_t workspace_bytes;
};
using ChoiceKey = std::array<int64_t, 18>;

ChoiceKey choice_key(const CudnnShape& c, Direction d) {
    const DirectConvShape& s = c.shape;
    return {s.n,
            s.c,
            s.h,
            s.w,
            s.f,
            s.oh,
            s.ow,
            s.kh,
            s.kw,
            s.stride_h,
            s.stride_w,
            s.pad_top,
            s.pad_left,
            s.dilation_h,
            s.dilation_w,
            s.groups,
            int64_t(c.precision),
            int64_t(d)};
}

std::map<ChoiceKey, Choice>& choices() {
    static std::map<ChoiceKey, Choice> chosen;
    return chosen;
}

bool tensor_op(cudnnMathType_t m) { return m == CUDNN_TENSOR_OP_MATH || m == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION; }

// The fastest algorithm that succeeded (FP32: without tensor-op math) among `perf` (fastest
// first, as cudnnFind returns them), run by `find` unless the process chose before.
template <class Perf, class Find>
CudnnAlgorithm choose(const CudnnShape& c, Direction d, Find find, const char* what) {
    const CudnnApi& api = cudnn_api();
    const bool fp32 = c.precision == Precision::Fp32;
    CudnnAlgorithm a;
    const ChoiceKey key = choice_key(c, d);
    if (const auto found = choices().find(key); found != choices().end()) {
        a.algorithm = found->second.algorithm, a.math = found->second.math;
        a.workspace_bytes = found->second.workspace_bytes;
    } else {
        cudnn_check(api.set_math_type(c.conv, fp32 ? CUDNN_FMA_MATH : CUDNN_TENSOR_OP_MATH),
                    "cudnnSetConvolutionMathType");
        Perf perf[8];
        int returned = 0;
        cudnn_check(find(8, &returned, perf), what);
        int pick = -1;
        for (int i = 0; i < returned && pick < 0; ++i)
            if (perf[i].status == CUDNN_STATUS_SUCCESS && !(fp32 && tensor_op(perf[i].mathType))) pick = i;
        if (pick < 0)
            throw GpuError(fmt::format("cuDNN found no algorithm ({}) for this {} convolution", what,
                                       precision_name(c.precision)));
        a.algorithm = int(perf[pick].algo), a.math = fp32 ? CUDNN_FMA_MATH : perf[pick].mathType;
        a.workspace_bytes = perf[pick].memory;
        choices()[key] = {a.algorithm, a.math, a.workspace_bytes};
    }
    a.workspace = std::make_unique<DeviceBuffer>(a.workspace_bytes);
    return a;
}

void use_math(const CudnnShape& c, const CudnnAlgorithm& a) {
    cudnn_check(cudnn_api().set_math_type(c.conv, a.math), "cudnnSetConvolutionMathType");
}

}  // namespace

CudnnShape::CudnnShape(const DirectConvShape& s, Precision p) : shape(s), precision(p) {
    if (!symmetric_padding_fits(s))
        throw GpuError(
            fmt::format("cuDNN pads symmetrically, and padding {}x{} does not give this layer's {}x{} "
                        "output (use the own kernels for it)",
                        s.pad_top, s.pad_left, s.oh, s.ow));
    cudnn_check(cudnn_api().create(&handle), "cudnnCreate");
    try {
        describe();
    } catch (...) {
        release();
        throw;
    }
}

CudnnShape::~CudnnShape() { release(); }

void CudnnShape::release() {
    const CudnnApi& api = cudnn_api();
    if (conv) api.destroy_conv(conv);
    if (w) api.destroy_filter(w);
    if (y) api.destroy_tensor(y);
    if (x) api.destroy_tensor(x);
    if (handle) api.destroy(handle);
    conv = nullptr, w = nullptr, y = nullptr, x = nullptr, handle = nullptr;
}

void CudnnShape::describe() {
    const CudnnApi& api = cudnn_api();
    const DirectConvShape& s = shape;
    const cudnnDataType_t type = cudnn_type(precision);
    cudnn_check(api.create_tensor(&x), "cudnnCreateTensorDescriptor");
    cudnn_check(api.create_tensor(&y), "cudnnCreateTensorDescriptor");
    cudnn_check(api.create_filter(&w), "cudnnCreateFilterDescriptor");
    cudnn_check(api.create_conv(&conv), "cudnnCreateConvolutionDescriptor");
    cudnn_check(api.set_tensor_4d(x, CUDNN_TENSOR_NCHW, type, int(s.n), int(s.c), int(s.h), int(s.w)),
                "cudnnSetTensor4dDescriptor (input)");
    cudnn_check(api.set_filter_4d(w, type, CUDNN_TENSOR_NCHW, int(s.f), int(s.in_per_group()), int(s.kh), int(s.kw)),
                "cudnnSetFilter4dDescriptor");
    cudnn_check(api.set_conv_2d(conv, int(s.pad_top), int(s.pad_left), int(s.stride_h), int(s.stride_w),
                                int(s.dilation_h), int(s.dilation_w), CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
                "cudnnSetConvolution2dDescriptor");
    cudnn_check(api.set_group_count(conv, int(s.groups)), "cudnnSetConvolutionGroupCount");
    int n = 0, c = 0, h = 0, wd = 0;
    cudnn_check(api.output_dim(conv, x, w, &n, &c, &h, &wd), "cudnnGetConvolution2dForwardOutputDim");
    if (n != s.n || c != s.f || h != s.oh || wd != s.ow)
        throw GpuError(fmt::format("cuDNN's output {}x{}x{}x{} is not the layer's {}x{}x{}x{}", n, c, h, wd, s.n, s.f,
                                   s.oh, s.ow));
    cudnn_check(api.set_tensor_4d(y, CUDNN_TENSOR_NCHW, type, n, c, h, wd), "cudnnSetTensor4dDescriptor (output)");
}

CudnnConv::CudnnConv(const DirectConvShape& s, Precision p, const void* x, const void* w, void* y)
    : m_shape(s, p), m_x(x), m_w(w), m_y(y) {
    const CudnnShape& c = m_shape;
    m_forward = choose<cudnnConvolutionFwdAlgoPerf_t>(
        c, Direction::Forward,
        [&](int n, int* got, cudnnConvolutionFwdAlgoPerf_t* perf) {
            return cudnn_api().find_forward(c.handle, c.x, c.w, c.conv, c.y, n, got, perf);
        },
        "cudnnFindConvolutionForwardAlgorithm");
}

void CudnnConv::run() const {
    const float alpha = 1.0f, beta = 0.0f;  // float scaling for FLOAT, HALF and BFLOAT16 data
    const CudnnShape& c = m_shape;
    use_math(c, m_forward);
    cudnn_check(cudnn_api().forward(c.handle, &alpha, c.x, m_x, c.w, m_w, c.conv,
                                    cudnnConvolutionFwdAlgo_t(m_forward.algorithm), m_forward.workspace->get(),
                                    m_forward.workspace_bytes, &beta, c.y, m_y),
                "cudnnConvolutionForward");
}

CudnnConvBackward::CudnnConvBackward(const DirectConvShape& s, Precision p) : m_shape(s, p) {}

void CudnnConvBackward::data(const void* w, const void* dy, void* dx) {
    const CudnnShape& c = m_shape;
    if (!m_data_chosen)
        m_data = choose<cudnnConvolutionBwdDataAlgoPerf_t>(
            c, Direction::BackwardData,
            [&](int n, int* got, cudnnConvolutionBwdDataAlgoPerf_t* perf) {
                return cudnn_api().find_backward_data(c.handle, c.w, c.y, c.conv, c.x, n, got, perf);
            },
            "cudnnFindConvolutionBackwardDataAlgorithm");
    m_data_chosen = true;
    use_math(c, m_data);
    const float alpha = 1.0f, beta = 0.0f;
    cudnn_check(cudnn_api().backward_data(c.handle, &alpha, c.w, w, c.y, dy, c.conv,
                                          cudnnConvolutionBwdDataAlgo_t(m_data.algorithm), m_data.workspace->get(),
                                          m_data.workspace_bytes, &beta, c.x, dx),
                "cudnnConvolutionBackwardData");
}

void CudnnConvBackward::filter(const void* x, const void* dy, void* dw) {
    const CudnnShape& c = m_shape;
    if (!m_filter_chosen)
        m_filter = choose<cudnnConvolutionBwdFilterAlgoPerf_t>(
            c, Direction::BackwardFilter,
            [&](int n, int* got, cudnnConvolutionBwdFilterAlgoPerf_t* perf) {
                return cudnn_api().find_backward_filter(c.handle, c.x, c.y, c.conv, c.w, n, got, perf);
            },
            "cudnnFindConvolutionBackwardFilterAlgorithm");
    m_filter_chosen = true;
    use_math(c, m_filter);
    const float alpha = 1.0f, beta = 0.0f;
    cudnn_check(cudnn_api().backward_filter(c.handle, &alpha, c.x, x, c.y, dy, c.conv,
                                            cudnnConvolutionBwdFilterAlgo_t(m_filter.algorithm),
                                            m_filter.workspace->get(), m_filter.workspace_bytes, &beta, c.w, dw),
                "cudnnConvolutionBackwardFilter");
}

}  // namespace npu

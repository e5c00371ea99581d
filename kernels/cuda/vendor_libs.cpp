#include "kernels/cuda/vendor_libs.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include "kernels/cuda/gpu_runtime.h"

namespace npu {
namespace {

// The library, opened once for the process (never closed: the tables point into it).
void* open_library(const char* soname, const char* what) {
    void* library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!library)
        throw GpuError(fmt::format("the vendor backend needs {} ({}), which this host's loader cannot find: {}", soname,
                                   what, dlerror()));
    return library;
}

template <class Fn>
void bind(void* library, const char* soname, const char* name, Fn& out) {
    out = reinterpret_cast<Fn>(dlsym(library, name));
    if (!out) throw GpuError(fmt::format("{} has no entry point {}", soname, name));
}

CudnnApi load_cudnn() {
    const char* so = "libcudnn.so.9";
    void* l = open_library(so, "cuDNN 9");
    CudnnApi a{};
    bind(l, so, "cudnnCreate", a.create);
    bind(l, so, "cudnnDestroy", a.destroy);
    bind(l, so, "cudnnGetErrorString", a.error_string);
    bind(l, so, "cudnnCreateTensorDescriptor", a.create_tensor);
    bind(l, so, "cudnnDestroyTensorDescriptor", a.destroy_tensor);
    bind(l, so, "cudnnSetTensor4dDescriptor", a.set_tensor_4d);
    bind(l, so, "cudnnCreateFilterDescriptor", a.create_filter);
    bind(l, so, "cudnnDestroyFilterDescriptor", a.destroy_filter);
    bind(l, so, "cudnnSetFilter4dDescriptor", a.set_filter_4d);
    bind(l, so, "cudnnCreateConvolutionDescriptor", a.create_conv);
    bind(l, so, "cudnnDestroyConvolutionDescriptor", a.destroy_conv);
    bind(l, so, "cudnnSetConvolution2dDescriptor", a.set_conv_2d);
    bind(l, so, "cudnnSetConvolutionGroupCount", a.set_group_count);
    bind(l, so, "cudnnSetConvolutionMathType", a.set_math_type);
    bind(l, so, "cudnnGetConvolution2dForwardOutputDim", a.output_dim);
    bind(l, so, "cudnnFindConvolutionForwardAlgorithm", a.find_forward);
    bind(l, so, "cudnnConvolutionForward", a.forward);
    bind(l, so, "cudnnFindConvolutionBackwardDataAlgorithm", a.find_backward_data);
    bind(l, so, "cudnnConvolutionBackwardData", a.backward_data);
    bind(l, so, "cudnnFindConvolutionBackwardFilterAlgorithm", a.find_backward_filter);
    bind(l, so, "cudnnConvolutionBackwardFilter", a.backward_filter);
    return a;
}

CublasLtApi load_cublaslt() {
    const char* so = "libcublasLt.so.13";
    void* l = open_library(so, "cuBLASLt of CUDA 13");
    CublasLtApi a{};
    bind(l, so, "cublasLtCreate", a.create);
    bind(l, so, "cublasLtDestroy", a.destroy);
    bind(l, so, "cublasLtMatmulDescCreate", a.desc_create);
    bind(l, so, "cublasLtMatmulDescDestroy", a.desc_destroy);
    bind(l, so, "cublasLtMatmulDescSetAttribute", a.desc_set);
    bind(l, so, "cublasLtMatrixLayoutCreate", a.layout_create);
    bind(l, so, "cublasLtMatrixLayoutDestroy", a.layout_destroy);
    bind(l, so, "cublasLtMatrixLayoutSetAttribute", a.layout_set);
    bind(l, so, "cublasLtMatmulPreferenceCreate", a.preference_create);
    bind(l, so, "cublasLtMatmulPreferenceDestroy", a.preference_destroy);
    bind(l, so, "cublasLtMatmulPreferenceSetAttribute", a.preference_set);
    bind(l, so, "cublasLtMatmulAlgoGetHeuristic", a.heuristic);
    bind(l, so, "cublasLtMatmul", a.matmul);
    return a;
}

}  // namespace

const CudnnApi& cudnn_api() {
    static const CudnnApi api = load_cudnn();  // a failed load throws again on the next call
    return api;
}

const CublasLtApi& cublaslt_api() {
    static const CublasLtApi api = load_cublaslt();
    return api;
}

std::string cudnn_version() {
    try {
        (void)cudnn_api();  // the library loads, with every entry point the backend uses
    } catch (const GpuError& e) {
        return std::string("none (") + e.what() + ")";
    }
    void* library = dlopen("libcudnn.so.9", RTLD_NOW | RTLD_LOCAL);  // already loaded: a reference
    const auto version = library ? reinterpret_cast<size_t (*)()>(dlsym(library, "cudnnGetVersion")) : nullptr;
    const size_t v = version ? version() : 0;
    return fmt::format("{}.{}.{}", v / 10000, v % 10000 / 100, v % 100);
}

void cudnn_check(cudnnStatus_t status, const char* what) {
    if (status != CUDNN_STATUS_SUCCESS)
        throw GpuError(fmt::format("cuDNN: {} failed: {}", what, cudnn_api().error_string(status)));
}

void cublaslt_check(cublasStatus_t status, const char* what) {
    if (status != CUBLAS_STATUS_SUCCESS)
        throw GpuError(fmt::format("cuBLASLt: {} failed (status {})", what, int(status)));
}

}  // namespace npu

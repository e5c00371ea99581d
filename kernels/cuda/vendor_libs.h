#pragma once
// cuDNN 9 and cuBLASLt (CUDA 13), loaded on first use with dlopen rather than linked: npusim
// then starts, and the own kernels run, on a host that lacks them, and tools/bundle.sh need not
// carry them (together well over 1 GB); the vendor backend alone fails, with one line naming
// the library. The entry points keep the libraries' own signatures (decltype of the headers'
// declarations), so a call through the table is checked like a direct one.
#include <cublasLt.h>
#include <cudnn.h>

#include <string>

namespace npu {

struct CudnnApi {
    decltype(&cudnnCreate) create;
    decltype(&cudnnDestroy) destroy;
    decltype(&cudnnGetErrorString) error_string;
    decltype(&cudnnCreateTensorDescriptor) create_tensor;
    decltype(&cudnnDestroyTensorDescriptor) destroy_tensor;
    decltype(&cudnnSetTensor4dDescriptor) set_tensor_4d;
    decltype(&cudnnCreateFilterDescriptor) create_filter;
    decltype(&cudnnDestroyFilterDescriptor) destroy_filter;
    decltype(&cudnnSetFilter4dDescriptor) set_filter_4d;
    decltype(&cudnnCreateConvolutionDescriptor) create_conv;
    decltype(&cudnnDestroyConvolutionDescriptor) destroy_conv;
    decltype(&cudnnSetConvolution2dDescriptor) set_conv_2d;
    decltype(&cudnnSetConvolutionGroupCount) set_group_count;
    decltype(&cudnnSetConvolutionMathType) set_math_type;
    decltype(&cudnnGetConvolution2dForwardOutputDim) output_dim;
    decltype(&cudnnFindConvolutionForwardAlgorithm) find_forward;
    decltype(&cudnnConvolutionForward) forward;
    decltype(&cudnnFindConvolutionBackwardDataAlgorithm) find_backward_data;
    decltype(&cudnnConvolutionBackwardData) backward_data;
    decltype(&cudnnFindConvolutionBackwardFilterAlgorithm) find_backward_filter;
    decltype(&cudnnConvolutionBackwardFilter) backward_filter;
};

struct CublasLtApi {
    decltype(&cublasLtCreate) create;
    decltype(&cublasLtDestroy) destroy;
    decltype(&cublasLtMatmulDescCreate) desc_create;
    decltype(&cublasLtMatmulDescDestroy) desc_destroy;
    decltype(&cublasLtMatmulDescSetAttribute) desc_set;
    decltype(&cublasLtMatrixLayoutCreate) layout_create;
    decltype(&cublasLtMatrixLayoutDestroy) layout_destroy;
    decltype(&cublasLtMatrixLayoutSetAttribute) layout_set;
    decltype(&cublasLtMatmulPreferenceCreate) preference_create;
    decltype(&cublasLtMatmulPreferenceDestroy) preference_destroy;
    decltype(&cublasLtMatmulPreferenceSetAttribute) preference_set;
    decltype(&cublasLtMatmulAlgoGetHeuristic) heuristic;
    decltype(&cublasLtMatmul) matmul;
};

// Loaded once; throw GpuError naming the library (or the missing entry point) when absent.
const CudnnApi& cudnn_api();
const CublasLtApi& cublaslt_api();

// cuDNN's version as "9.14.0", or why there is none; never throws.
std::string cudnn_version();

// Throw GpuError naming `what` when a call failed.
void cudnn_check(cudnnStatus_t status, const char* what);
void cublaslt_check(cublasStatus_t status, const char* what);

}  // namespace npu

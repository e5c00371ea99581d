#pragma once
// Attributes shared by the workload IR, the ISA and the kernels: a 2-D window, a fused
// activation, a softmax axis. They live in the base library so that arch/ (the hardware) can
// describe an instruction without depending on workloads/ (models and their files).
#include <cstdint>

namespace npu {

// Activation applied to a layer's output inside the same instruction (fused at lowering).
enum class Activation { None, Relu, Relu6 };

struct Window2d {
    int64_t kernel_h = 1, kernel_w = 1;
    int64_t stride_h = 1, stride_w = 1;
    int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
    int64_t dilation_h = 1, dilation_w = 1;

    int64_t extent_h() const { return (kernel_h - 1) * dilation_h + 1; }
    int64_t extent_w() const { return (kernel_w - 1) * dilation_w + 1; }
};

// Softmax along `axis` of the NCHW shape (0..3). With `flatten`, the axis and every axis after
// it form one row (ONNX before opset 13); otherwise each position of the later axes has its own
// softmax over `axis` (ONNX 13).
struct SoftmaxAttrs {
    int axis = 1;
    bool flatten = true;
};

// Slice: the range [begin, end) of one axis.
struct SliceAttrs {
    int axis = 1;  // 0..3 of NCHW
    int64_t begin = 0, end = 0;
};

// An element-wise function of one input (the vector unit; INT8 through a 256-entry table of its
// quantized values). HardSigmoid is max(0, min(1, alpha x + beta)) (ONNX's defaults 0.2 and 0.5;
// PyTorch's Hardsigmoid exports alpha 1/6). Gelu is x (1 + erf(x / sqrt 2)) / 2, the exact GELU
// (Hendrycks and Gimpel 2016) that PyTorch's nn.GELU computes by default.
// Erf and Sqrt are ONNX's (Sqrt of a negative value is NaN; INT8 stores NaN as 0).
enum class UnaryFn { Sigmoid, HardSigmoid, Tanh, Gelu, Erf, Sqrt };
struct UnaryAttrs {
    UnaryFn fn = UnaryFn::Sigmoid;
    float alpha = 0.2f, beta = 0.5f;
};

const char* activation_name(Activation a);
const char* unary_name(UnaryFn fn);  // "sigmoid", "hard_sigmoid", "tanh", "gelu", "erf", "sqrt"

// Conv/fc weights pruned N:M (workloads/ir/pruning.h): at most n nonzero in every m consecutive
// of each filter's K. Set by pruning, so an nm array (arch/npu_config.h) may store and map the
// layer compressed; n = 0: no such structure is known.
struct NmPattern {
    int n = 0, m = 0;
    bool present() const { return n > 0; }
    // The rows a K range starting at a multiple of m keeps compressed: n of every whole group,
    // and of a last group of r < m elements min(n, r).
    int64_t kept_rows(int64_t k) const {
        if (!present()) return k;
        const int64_t rest = k % m;
        return k / m * n + (rest < n ? rest : n);
    }
    // Metadata bits of one kept value: the index into its group of m, ceil(log2 m).
    int index_bits() const {
        int bits = 0;
        while ((int64_t(1) << bits) < m) ++bits;
        return bits;
    }
};

}  // namespace npu

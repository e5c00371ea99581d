#pragma once
// One layer of a CNN graph: its kind, attributes, inputs (by layer index) and inferred output.
// What each kind means (inputs, shape inference, MACs, file syntax) is in workloads/ops/.
#include <cstdint>
#include <string>
#include <vector>

#include "common/op_attributes.h"
#include "common/shape.h"

namespace npu {

enum class LayerKind {
    Input,
    Conv2d,
    FullyConnected,
    Relu,
    Relu6,
    MaxPool,
    AvgPool,
    GlobalAvgPool,
    Add,
    BatchNorm,
    Softmax,
    Flatten,
    Clip,            // clamp to [min, max]
    Concat,          // inputs joined along one axis
    Unary,           // sigmoid, hard sigmoid, tanh (UnaryAttrs)
    Mul,             // element-wise product; the second input may be N x C x 1 x 1 (per channel)
    Slice,           // the range [begin, end) of one axis (SliceAttrs)
    ChannelShuffle,  // channels regrouped: output channel j * groups + i is input channel i * (C / groups) + j
    LayerNorm,       // each pixel's channels to mean 0, variance 1 (no affine part: a batchnorm follows)
    Reshape,         // same bytes, another shape (row-major); keep last (kLayerKindCount)
};
constexpr int kLayerKindCount = int(LayerKind::Reshape) + 1;

struct ConvAttrs {
    int64_t filters = 0;
    int64_t groups = 1;
    bool bias = true;
    Window2d window;
};

struct PoolAttrs {
    Window2d window;
    bool count_include_pad = false;  // average pool divisor: the window size, or valid cells only
};

struct FcAttrs {
    int64_t out_features = 0;
    bool bias = true;
};

struct ClipAttrs {
    float min = -3.4028235e38f;
    float max = 3.4028235e38f;
};

// Quantization an imported model gives (ONNX QLinearConv, QLinearMatMul, ConvInteger) instead of
// npusim's own calibration. Integers are in npusim's int8 storage: uint8 values and zero points
// shifted by -128, so x - zero_point is unchanged and [0, 255] saturation is [-128, 127].
struct GivenQuant {
    bool present = false;
    float scale = 1.0f;            // the layer's output scale (an input layer: its data's)
    int32_t zero_point = 0;        // the layer's output zero point
    bool unsigned_values = false;  // the model's tensor was uint8 (add 128 to report it)
    // conv2d / fc:
    std::vector<int32_t> weights;  // same layout as Layer::weights
    int32_t weight_zero_point = 0;
    std::vector<float> weight_scales;  // one per output channel
    std::vector<int32_t> bias;         // int32 at input scale x weight scale (may be empty)
    bool int32_output = false;         // ConvInteger: the raw int32 sums, no requantization
};

struct Layer {
    std::string name;
    LayerKind kind = LayerKind::Input;
    std::vector<int> inputs;  // indices of producer layers; all producers precede this layer
    ConvAttrs conv;
    PoolAttrs pool;
    FcAttrs fc;
    ClipAttrs clip;
    SoftmaxAttrs softmax;
    UnaryAttrs unary;
    int concat_axis = 1;  // 0..3 of NCHW
    SliceAttrs slice;
    int64_t shuffle_groups = 1;        // ChannelShuffle
    float norm_epsilon = 1e-5f;        // LayerNorm: (x - mean) / sqrt(variance + epsilon)
    Shape reshape_to;                  // Reshape's output
    bool reshape_keeps_batch = false;  // the target follows the input's batch (YAML; ONNX Flatten, [0|-1, ...])
    Activation activation = Activation::None;
    Shape output;  // filled by shape inference (Input: given)
    // Optional values given in the model file (teaching examples, imported models); empty means
    // "generate from the seed". Layouts: weights [filters][channels/groups][kh][kw] or
    // [out][in]; batchnorm: weights = per-channel scale, bias_values = shift (already combined
    // from gamma, beta, mean, variance and epsilon); input_data NCHW for one image (repeated
    // over the batch).
    std::vector<float> weights;
    std::vector<float> bias_values;
    std::vector<float> input_data;
    GivenQuant quant;
    NmPattern weight_nm;
    int source_line = 0;  // where the layer was defined, for error messages (0: unknown)
};

// From the op registry (workloads/ops/op_def.h), which says everything else about a kind.
const char* kind_name(LayerKind kind);
bool has_weights(LayerKind kind);  // conv2d, fully connected (and batchnorm's affine)

}  // namespace npu

#pragma once
// A workload ready to run: the inference graph with its parameters in the run's precision, and
// the input tensor. Every backend (NPU model, CPU reference, GPU) consumes this same object, so
// they all see the same weights and inputs for a seed.
#include <vector>

#include "kernels/cpu/host_tensor.h"
#include "kernels/numerics/int8.h"
#include "workloads/ir/float_model.h"

namespace npu {

struct QuantLayer {
    float out_scale = 1.0f;  // INT8: real value = q * out_scale (symmetric, zero point 0)
    // conv2d / fc, layouts as in LayerTensors
    std::vector<int8_t> weight_q;
    std::vector<int32_t> bias_q;
    std::vector<QuantMultiplier> requant;  // per output channel: s_in * s_w[f] / s_out
    // Float precisions: weights rounded to the run's precision (conv/fc), or a standalone
    // batchnorm's per-channel scale; biases (or the batchnorm's shift) in FP32.
    std::vector<float> weight_f;
    std::vector<float> bias_f;
    Int8Clamp clamp;  // fused activation (relu, relu6), clip and saturation in the int8 domain
    AddRescale add;   // add: both inputs rescaled to the output scale
    std::vector<QuantMultiplier> input_rescale;  // concat: each input to the output scale
    // Asymmetric quantization given by imported models (GivenQuant); npusim's own is symmetric.
    int32_t out_zero_point = 0;
    int32_t weight_zero_point = 0;
    // Imported QLinear layers requantize as ONNX defines it: float scale per channel, round
    // half to even, then the zero point; ConvInteger keeps the int32 sums.
    bool onnx_rounding = false;
    std::vector<float> requant_scale;
    bool out_int32 = false;
    bool unsigned_values = false;  // report this tensor as uint8
};

struct QuantModel {
    Precision precision = Precision::Int8;
    Graph graph;                     // inference graph (batchnorm folded, activations fused)
    std::vector<QuantLayer> layers;  // one per graph layer
    std::vector<HostTensor> inputs;  // per layer: the data of Input layers, else empty
};

// INT8: per-tensor activation scales calibrated on the model's own input (max |x| / 127; a
// tensor whose values are all integers within [-127, 127] keeps scale 1 so integer examples
// stay exact), per-output-channel weight scales (max |w| / 127, same integer rule), int32 bias
// at scale s_in * s_w; a standalone batchnorm is refused (it runs in FP16 or FP32). FP16 and
// FP32: values rounded to the precision, biases kept in FP32.
QuantModel quantize_model(const FloatModel& inference_model, Precision precision);

// Whether the graph carries its own quantization (imported QLinear/ConvInteger layers).
bool has_given_quantization(const Graph& graph);

// The reference output of every layer, index = layer index (the input layer's is the input).
std::vector<HostTensor> run_reference(const QuantModel& model);

// The reference output of one layer, given the outputs of the layers before it.
HostTensor reference_layer(const QuantModel& model, int layer_index, const std::vector<HostTensor>& outputs);

}  // namespace npu

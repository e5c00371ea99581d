#pragma once
// The prepared model every backend consumes (the NPU model, the CPU reference, the CUDA
// kernels): the inference graph with its parameters in the run's precision, quantization
// parameters and the input tensors. Backend-neutral: no Eigen, no SystemC, no CUDA here, so
// each backend depends on this and not on another backend.
#include <vector>

#include "kernels/model/host_tensor.h"
#include "kernels/numerics/int8.h"
#include "workloads/ir/graph.h"

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
    std::vector<int8_t> unary_table;             // unary: kUnaryTableSize outputs, by input + 128
    QuantMultiplier mul;                         // mul: s_a * s_b / s_out
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
    // INT8 calibration's by-product: each layer's CPU reference output on `inputs` (empty for
    // float and imported quantizations). The check reuses a layer's where the NPU read the same
    // input bytes, instead of computing it again; whoever changes the weights or scales after
    // calibration clears it.
    std::vector<HostTensor> calibration_outputs;
};

}  // namespace npu

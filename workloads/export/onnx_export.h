#pragma once
// A graph and its FP32 parameters as an ONNX model (opset 13): what `npusim train --save` writes,
// and what `npusim run` and any ONNX runtime can load. Each layer becomes one node (a fused
// activation a second one: Relu, or Clip for relu6); conv2d becomes Conv, fc Gemm (transB = 1,
// after a Flatten when its input is not 2-D), pools MaxPool / AveragePool / GlobalAveragePool,
// clamps Relu / Clip, add Add, flatten Flatten, reshape Reshape, softmax Softmax, concat Concat.
// The batch dimension is symbolic ("batch"). A kind or attribute ONNX cannot express here is an
// UnsupportedError naming the layer.
#include <string>
#include <vector>

#include "workloads/ir/float_model.h"

namespace npu {

// `tensors[i]`: layer i's weights and bias in the LayerTensors layouts (empty for other layers).
std::string onnx_model_bytes(const Graph& graph, const std::vector<LayerTensors>& tensors);
void save_onnx(const std::string& path, const Graph& graph, const std::vector<LayerTensors>& tensors);

}  // namespace npu

#pragma once
// Operator chains that exporters write for one operation, read back as that operation before
// conversion (the converter then sees one node): PyTorch's exact GELU before opset 20
//     Div(x, sqrt 2) -> Erf -> Add(1) -> Mul(x, .) -> Mul(0.5)            as Gelu(x)
// and its layer norm over the last axis before opset 17 (ConvNeXt's LayerNorm, channels last)
//     ReduceMean(x, [-1]) -> Sub(x, mean) -> Pow(2) -> ReduceMean([-1]) -> Add(eps) -> Sqrt
//     -> Div(x - mean, .) [-> Mul(scale) -> Add(bias)]                    as LayerNormalization
// A chain matches only where its intermediate tensors have no reader outside it and its
// scalars are the ones above, so a model computing something else is converted node by node.
#include <onnx/onnx_pb.h>

#include <deque>
#include <vector>

namespace npu::onnx_convert {

struct FusedNodes {
    std::vector<const onnx::NodeProto*> order;  // the nodes to convert, in graph order
    std::deque<onnx::NodeProto> made;           // the nodes that replace chains (order points here)
};

FusedNodes fuse_patterns(const onnx::GraphProto& g);

}  // namespace npu::onnx_convert

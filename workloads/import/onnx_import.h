#pragma once
// ONNX models (read through libonnx's protobuf classes) as npusim graphs. Supported operators:
// Conv, Gemm, MatMul (with a constant 2-D right operand), Relu, Clip, MaxPool, AveragePool,
// GlobalAveragePool, ReduceMean (spatial axes: a global average pool), Add (equal shapes),
// BatchNormalization (inference), Flatten, Reshape, Softmax, Concat, Identity and Dropout
// (inference: no layer); tensors of rank 1 to 4 (rank 3 as N x C x 1 x L, so 1-D convolutions and
// pools work). Weights come from initializers, Constant nodes, or graph inputs bound by the
// caller; other graph inputs become the graph's inputs. Anything else is an UnsupportedError
// that names the node, the operator and the reason; a model with operators npusim lacks lists
// them all in one error.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/limits.h"
#include "workloads/import/onnx_tensor.h"
#include "workloads/ir/graph.h"

namespace npu {

struct OnnxImportOptions {
    std::map<std::string, OnnxTensor> bound;  // values for graph inputs, by name
    int64_t symbolic_dim = 1;                 // size of dimensions without a fixed value (batch)
    Limits limits;                            // tensor sizes refused while the model loads
    // Timing-only runs: the weights of convs and matrix products are not decoded (layers get
    // their shapes, no values); every other constant is.
    bool structure_only = false;
};

struct OnnxImport {
    Graph graph;
    std::vector<std::string> output_names;
    std::vector<int> output_layers;      // the layer holding each graph output
    std::vector<std::string> operators;  // distinct operator types of the model
    int64_t opset = 0;
};

OnnxImport import_onnx(const std::string& path, const OnnxImportOptions& options = {});
// The same from a serialized model in memory; `source` names it in errors.
OnnxImport import_onnx_bytes(const std::string& bytes, const std::string& source,
                             const OnnxImportOptions& options = {});

// The operator types the importer understands.
const std::vector<std::string>& supported_onnx_operators();

// ONNX dims (rank 1 to 4) as an NCHW shape, and an ONNX axis of that rank as an NCHW axis.
Shape onnx_shape(const std::vector<int64_t>& dims, const std::string& where, const Limits& limits);
int onnx_axis(int64_t axis, size_t rank, const std::string& where);

}  // namespace npu

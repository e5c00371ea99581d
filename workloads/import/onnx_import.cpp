#include "workloads/import/onnx_import.h"

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <numeric>
#include <set>

#include "common/error.h"
#include "common/file_text.h"
#include "common/limits.h"
#include "common/mapped_file.h"
#include "workloads/import/onnx_converter.h"
#include "workloads/import/onnx_payloads.h"

namespace npu {

const std::vector<std::string>& supported_onnx_operators() {
    // One per line, sorted: the list the conformance table and the error message show.
    static const std::vector<std::string> ops = {
        "Add",                 //
        "AveragePool",         //
        "BatchNormalization",  //
        "Cast",                //
        "Clip",                //
        "Concat",              //
        "Constant",            //
        "Conv",                //
        "ConvInteger",         //
        "Div",                 //
        "Dropout",             //
        "Erf",                 //
        "Flatten",             //
        "Gather",              //
        "Gelu",                //
        "Gemm",                //
        "GlobalAveragePool",   //
        "HardSigmoid",         //
        "HardSwish",           //
        "Identity",            //
        "LayerNormalization",  //
        "MatMul",              //
        "MaxPool",             //
        "Mul",                 //
        "Pad",                 //
        "QLinearConv",         //
        "QLinearMatMul",       //
        "ReduceMean",          //
        "Relu",                //
        "Reshape",             //
        "Shape",               //
        "Sigmoid",             //
        "Slice",               //
        "Softmax",             //
        "Split",               //
        "Sqrt",                //
        "Squeeze",             //
        "Sub",                 //
        "Tanh",                //
        "Transpose",           //
        "Unsqueeze",           //
    };
    return ops;
}

Shape onnx_shape(const std::vector<int64_t>& d, const std::string& where, const Limits& limits) {
    for (int64_t v : d) {
        if (v < 1) throw UnsupportedError(fmt::format("{}: dimension {} (empty tensors are unsupported)", where, v));
        if (v > kMaxFileInteger)
            throw WorkloadError(fmt::format("{}: dimension {} is out of range (below 2^31)", where, v));
    }
    int64_t elements = 1;
    for (int64_t v : d) elements = saturating_mul(elements, v);
    if (elements > limits.tensor_elements)
        throw WorkloadError(
            fmt::format("{}: a tensor of {} elements {}", where, elements, limits.hint("tensor_elements")));
    switch (d.size()) {
        case 1: return Shape{1, d[0], 1, 1};
        case 2: return Shape{d[0], d[1], 1, 1};
        case 3: return Shape{d[0], d[1], 1, d[2]};
        case 4: return Shape{d[0], d[1], d[2], d[3]};
        default:
            throw UnsupportedError(fmt::format("{}: rank {} tensors are unsupported (rank 1 to 4)", where, d.size()));
    }
}

int onnx_axis(int64_t axis, size_t rank, const std::string& where) {
    const int64_t a = axis < 0 ? axis + int64_t(rank) : axis;
    if (a < 0 || a >= int64_t(rank))
        throw WorkloadError(fmt::format("{}: axis {} out of range for rank {}", where, axis, rank));
    static const int map[5][4] = {{0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 1, 3, 0}, {0, 1, 2, 3}};
    return map[rank][a];
}

namespace {

// Raw tensor data of at least this many bytes stays out of the parsed proto (onnx_payloads.h).
constexpr size_t kHeldBackBytes = 4096;

OnnxImport import_view(std::string_view bytes, const std::string& source, const OnnxImportOptions& options) {
    const std::optional<HeldBackModel> held = hold_back_payloads(bytes, kHeldBackBytes);
    onnx::ModelProto model;
    if (!held || !model.ParseFromString(held->stripped))
        throw WorkloadError(fmt::format("{}: not an ONNX model (protobuf parse failed)", source));
    return onnx_convert::Converter(model, source, options, held->payloads).run();
}

}  // namespace

OnnxImport import_onnx(const std::string& path, const OnnxImportOptions& options) {
    const MappedFile file = MappedFile::open_or_throw<WorkloadError>(path);  // pages read as touched
    return import_view(file.bytes(), path, options);
}

OnnxImport import_onnx_bytes(const std::string& bytes, const std::string& source, const OnnxImportOptions& options) {
    return import_view(bytes, source, options);
}

}  // namespace npu

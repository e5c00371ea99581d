// Constant folding of the shape arithmetic exporters write: PyTorch traces x.size() into Shape,
// Gather, Unsqueeze, Concat, Cast and integer Div/Mul/Add/Sub nodes that compute the target of a
// Reshape (ShuffleNet's channel shuffle, for one). Every tensor's shape is static here, so these
// are constants: folded at import, with ONNX's semantics (integer Div truncates toward zero).
#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "common/error.h"
#include "workloads/import/onnx_converter.h"

namespace npu::onnx_convert {
namespace {

OnnxTensor vector_tensor(const std::string& name, OnnxType type, std::vector<double> values) {
    OnnxTensor t;
    t.name = name;
    t.type = type;
    t.dims = {int64_t(values.size())};
    t.values = std::move(values);
    return t;
}

OnnxType cast_type(int64_t to) {
    switch (to) {
        case onnx::TensorProto::FLOAT: return OnnxType::Float;
        case onnx::TensorProto::DOUBLE: return OnnxType::Double;
        case onnx::TensorProto::INT64: return OnnxType::Int64;
        case onnx::TensorProto::INT32: return OnnxType::Int32;
        case onnx::TensorProto::INT8: return OnnxType::Int8;
        case onnx::TensorProto::UINT8: return OnnxType::Uint8;
        default: return OnnxType::Other;
    }
}

double arithmetic(const std::string& op, double a, double b, bool integral) {
    if (op == "Add") return a + b;
    if (op == "Sub") return a - b;
    if (op == "Mul") return a * b;
    return integral ? std::trunc(a / b) : a / b;  // Div
}

OnnxTensor gathered(const OnnxTensor& a, const OnnxTensor& indices, const std::string& where) {
    if (a.dims.size() != 1)
        throw UnsupportedError(fmt::format("{}: a Gather of constants other than from a vector", where));
    OnnxTensor out = a;
    out.dims = indices.dims;
    out.values.clear();
    for (double i : indices.values) {
        const int64_t k = int64_t(i) < 0 ? int64_t(i) + int64_t(a.values.size()) : int64_t(i);
        if (k < 0 || k >= int64_t(a.values.size()))
            throw WorkloadError(fmt::format("{}: index {} out of range", where, i));
        out.values.push_back(a.values[size_t(k)]);
    }
    return out;
}

OnnxTensor joined(const std::vector<const OnnxTensor*>& parts, const std::string& where) {
    OnnxTensor out = *parts.front();
    out.values.clear();
    for (const OnnxTensor* part : parts) {
        if (part->dims.size() > 1)
            throw UnsupportedError(fmt::format("{}: a Concat of constants other than vectors", where));
        out.values.insert(out.values.end(), part->values.begin(), part->values.end());
    }
    out.dims = {int64_t(out.values.size())};
    return out;
}

// Add, Sub, Mul, Div: equal shapes, or one side a single value.
OnnxTensor elementwise(const std::string& op, const OnnxTensor& a, const OnnxTensor& b, const std::string& where) {
    if (a.values.size() != b.values.size() && a.values.size() != 1 && b.values.size() != 1)
        throw UnsupportedError(fmt::format("{}: broadcasting constants of other shapes", where));
    OnnxTensor out = b.values.size() > a.values.size() ? b : a;
    const bool integral = a.integral() && b.integral();
    for (size_t k = 0; k < out.values.size(); ++k) {
        const double x = a.values[a.values.size() == 1 ? 0 : k], y = b.values[b.values.size() == 1 ? 0 : k];
        if (op == "Div" && integral && y == 0) throw WorkloadError(fmt::format("{}: integer division by 0", where));
        out.values[k] = arithmetic(op, x, y, integral);
    }
    return out;
}

}  // namespace

std::vector<int64_t> Converter::folded_axes(const onnx::NodeProto& n, int input, size_t rank) const {
    std::vector<int64_t> axes = attr_ints(n, "axes");  // before opset 13: an attribute
    if (const OnnxTensor* given = input < n.input_size() ? constant(n, input) : nullptr)
        axes.assign(given->values.begin(), given->values.end());
    for (int64_t& a : axes) {
        if (a < -int64_t(rank) || a >= int64_t(rank))
            throw WorkloadError(fmt::format("{}: axis {} out of range for rank {}", where(n), a, rank));
        if (a < 0) a += int64_t(rank);
    }
    return axes;
}

bool Converter::fold_constant(const onnx::NodeProto& n) {
    static const std::set<std::string> foldable = {"Shape", "Gather", "Unsqueeze", "Squeeze", "Concat",
                                                   "Cast",  "Div",    "Mul",       "Add",     "Sub"};
    const std::string& op = n.op_type();
    if (!foldable.count(op)) return false;
    if (op == "Shape") {
        const auto c = m_constants.find(n.input(0));
        const std::vector<int64_t> dims = c != m_constants.end() ? c->second.dims : value(n, 0).dims;
        const int64_t rank = int64_t(dims.size());
        int64_t start = attr_int(n, "start", 0), end = attr_int(n, "end", rank);  // opset 15
        start = std::clamp(start < 0 ? start + rank : start, int64_t(0), rank);
        end = std::clamp(end < 0 ? end + rank : end, int64_t(0), rank);
        std::vector<double> values;
        for (int64_t d = start; d < end; ++d) values.push_back(double(dims[size_t(d)]));
        m_constants[n.output(0)] = vector_tensor(n.output(0), OnnxType::Int64, values);
        return true;
    }
    for (int i = 0; i < n.input_size(); ++i)
        if (!n.input(i).empty() && !m_constants.count(n.input(i))) return false;  // a computed tensor
    const OnnxTensor& a = m_constants.at(n.input(0));
    OnnxTensor out = a;
    if (op == "Cast") {
        out.type = cast_type(attr_int(n, "to", onnx::TensorProto::FLOAT));
        if (out.integral())
            for (double& v : out.values) v = std::trunc(v);
    } else if (op == "Unsqueeze" || op == "Squeeze") {
        fold_squeeze(n, a, out);
    } else if (op == "Gather") {
        if (attr_int(n, "axis", 0) != 0)
            throw UnsupportedError(fmt::format("{}: a Gather of constants on axis 0 only", where(n)));
        out = gathered(a, *constant(n, 1), where(n));
    } else if (op == "Concat") {
        std::vector<const OnnxTensor*> parts;
        for (int i = 0; i < n.input_size(); ++i) parts.push_back(constant(n, i));
        out = joined(parts, where(n));
    } else {  // Add, Sub, Mul, Div
        out = elementwise(op, a, *constant(n, 1), where(n));
    }
    out.name = n.output(0);
    m_constants[n.output(0)] = std::move(out);
    return true;
}

void Converter::fold_squeeze(const onnx::NodeProto& n, const OnnxTensor& a, OnnxTensor& out) const {
    out.dims.clear();
    if (n.op_type() == "Unsqueeze") {
        // The output rank is the input's plus one per axis (the axes an input from opset 13).
        size_t count = attr_ints(n, "axes").size();
        if (n.input_size() > 1 && !n.input(1).empty()) count = constant(n, 1)->values.size();
        const size_t rank = a.dims.size() + count;
        const std::vector<int64_t> at = folded_axes(n, 1, rank);
        for (size_t d = 0, k = 0; d < rank; ++d)
            out.dims.push_back(std::find(at.begin(), at.end(), int64_t(d)) != at.end() ? 1 : a.dims.at(k++));
        return;
    }
    const std::vector<int64_t> axes = folded_axes(n, 1, a.dims.size());
    for (size_t d = 0; d < a.dims.size(); ++d)
        if (!(axes.empty() ? a.dims[d] == 1 : std::find(axes.begin(), axes.end(), int64_t(d)) != axes.end()))
            out.dims.push_back(a.dims[d]);
}

}  // namespace npu::onnx_convert

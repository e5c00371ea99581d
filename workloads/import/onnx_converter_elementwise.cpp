// The element-wise ONNX operators of squeeze-and-excitation blocks and their activations:
// Sigmoid, HardSigmoid, Tanh, HardSwish, Erf, Sqrt, Mul.
#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <utility>

#include "common/error.h"
#include "workloads/import/onnx_converter.h"

namespace npu::onnx_convert {

void Converter::unary(const onnx::NodeProto& n) {
    const Value& x = value(n, 0);
    const std::string& op = n.op_type();
    Layer l;
    l.kind = LayerKind::Unary;
    l.inputs = {x.layer};
    l.unary.fn = op == "Sigmoid" ? UnaryFn::Sigmoid
                 : op == "Tanh"  ? UnaryFn::Tanh
                 : op == "Erf"   ? UnaryFn::Erf
                 : op == "Sqrt"  ? UnaryFn::Sqrt
                                 : UnaryFn::HardSigmoid;
    if (op == "HardSigmoid") {
        l.unary.alpha = attr_float(n, "alpha", 0.2f);
        l.unary.beta = attr_float(n, "beta", 0.5f);
    }
    if (op == "HardSwish") {  // x * max(0, min(1, x / 6 + 1 / 2)), as ONNX defines it
        l.unary.alpha = 1.0f / 6.0f;
        l.unary.beta = 0.5f;
        const int gate = add_layer(std::move(l), n, x.dims);
        Layer product;
        product.kind = LayerKind::Mul;
        product.inputs = {x.layer, gate};
        add_layer(std::move(product), n, x.dims);
        return;
    }
    add_layer(std::move(l), n, x.dims);
}

void Converter::mul(const onnx::NodeProto& n) {
    Value a = value(n, 0), b = value(n, 1);
    auto per_channel = [&](const Value& big, const Value& small) {
        if (small.dims.size() != big.dims.size() || big.dims.size() < 3) return false;
        for (size_t d = 2; d < small.dims.size(); ++d)
            if (small.dims[d] != 1) return false;
        return small.dims[0] == big.dims[0] && small.dims[1] == big.dims[1];
    };
    if (a.dims != b.dims && per_channel(b, a)) std::swap(a, b);  // the scale goes second
    if (a.dims != b.dims && !per_channel(a, b))
        throw UnsupportedError(
            fmt::format("{}: broadcasting [{}] with [{}] (equal shapes, or one operand N x C x 1 "
                        "x 1)",
                        where(n), fmt::join(a.dims, ", "), fmt::join(b.dims, ", ")));
    Layer l;
    l.kind = LayerKind::Mul;
    l.inputs = {a.layer, b.layer};
    add_layer(std::move(l), n, a.dims);
}

}  // namespace npu::onnx_convert

// The ONNX operators that move no data or reduce to one npusim already has: Identity, Dropout in
// inference, ReduceMean over the spatial axes.
#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <algorithm>

#include "common/error.h"
#include "workloads/import/onnx_converter.h"

namespace npu::onnx_convert {

void Converter::pass_through(const onnx::NodeProto& n) {
    if (n.input_size() < 1 || n.input(0).empty()) throw WorkloadError(fmt::format("{}: needs an input", where(n)));
    if (n.op_type() == "Dropout") {
        // Opset 12 made training a third input; before, training was never a graph's business.
        if (const OnnxTensor* training = n.input_size() > 2 ? constant(n, 2) : nullptr;
            training && !training->values.empty() && training->values.front() != 0)
            throw UnsupportedError(fmt::format("{}: training_mode = true (inference only)", where(n)));
        if (n.input_size() > 2 && !n.input(2).empty() && !constant(n, 2))
            throw UnsupportedError(fmt::format("{}: training_mode must be a constant", where(n)));
        if (n.output_size() > 1 && !n.output(1).empty())
            throw UnsupportedError(fmt::format("{}: the mask output (inference has none to give)", where(n)));
    }
    const auto constant_in = m_constants.find(n.input(0));
    if (constant_in != m_constants.end()) {
        m_constants[n.output(0)] = constant_in->second;
        return;
    }
    m_values[n.output(0)] = value(n, 0);
}

void Converter::reduce_mean(const onnx::NodeProto& n) {
    const Value& x = value(n, 0);
    const int64_t rank = int64_t(x.dims.size());
    // Opset 18 moved the axes from an attribute to an optional second input.
    std::vector<int64_t> axes = attr_ints(n, "axes");
    if (n.input_size() > 1 && !n.input(1).empty()) {
        const OnnxTensor* given = constant(n, 1);
        if (!given) throw UnsupportedError(fmt::format("{}: the axes must be a constant", where(n)));
        axes.assign(given->values.begin(), given->values.end());
    }
    for (int64_t& a : axes) {
        if (a < -rank || a >= rank)
            throw WorkloadError(fmt::format("{}: axis {} out of range for rank {}", where(n), a, rank));
        if (a < 0) a += rank;
    }
    std::sort(axes.begin(), axes.end());
    std::vector<int64_t> spatial;
    for (int64_t a = 2; a < rank; ++a) spatial.push_back(a);
    if (rank < 3 || axes != spatial)
        throw UnsupportedError(
            fmt::format("{}: a mean over axes [{}] of a rank {} tensor (only the spatial axes, a "
                        "global average pool)",
                        where(n), fmt::join(axes, ", "), rank));
    const int index = global_average(n, x);  // N x C x 1 x 1
    if (attr_int(n, "keepdims", 1) != 0) return;
    Layer flat;  // keepdims = 0: N x C
    flat.kind = LayerKind::Reshape;
    flat.inputs = {index};
    flat.reshape_to = onnx_shape({x.dims[0], x.dims[1]}, where(n), m_options.limits);
    flat.reshape_keeps_batch = true;
    add_layer(std::move(flat), n, {x.dims[0], x.dims[1]});
}

}  // namespace npu::onnx_convert

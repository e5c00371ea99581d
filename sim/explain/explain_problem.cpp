#include <fmt/format.h>

#include "common/error.h"
#include "kernels/model/conv_geometry.h"
#include "sim/explain/explain.h"
#include "workloads/ops/op_def.h"

namespace npu {

ExplainProblem explain_problem(const QuantModel& model, int index, int64_t max_macs) {
    const Layer& l = model.graph.layers[size_t(index)];
    if (op_def(l.kind).unit != OpUnit::Array)
        throw UsageError(
            fmt::format("--layer: '{}' is a {} layer; explain shows conv2d and fc layers", l.name, kind_name(l.kind)));
    const Layer& producer = model.graph.layers[size_t(l.inputs[0])];
    if (producer.kind != LayerKind::Input)
        throw UsageError(
            fmt::format("--layer: '{}' does not read the model input; explain shows a layer "
                        "that does (the first conv or fc)",
                        l.name));
    const HostTensor& in = model.inputs[size_t(l.inputs[0])];
    const ConvGeometry g = ConvGeometry::from_layer(l, in.shape);
    ExplainProblem p;
    p.layer = l.name;
    p.out_h = g.output.h;
    p.out_w = g.output.w;
    p.dims = GemmDims{g.input.n * g.output.h * g.output.w, g.k_per_group(), g.out_per_group()};
    if (p.dims.macs() > max_macs)
        throw UsageError(
            fmt::format("layer '{}' has {} MACs in group 0, more than explain shows ({}); use a "
                        "smaller model such as 'seed'",
                        l.name, p.dims.macs(), max_macs));
    p.integer = model.precision == Precision::Int8;
    const QuantLayer& q = model.layers[size_t(index)];
    auto weight = [&](int64_t i) { return p.integer ? double(q.weight_q[size_t(i)]) : double(q.weight_f[size_t(i)]); };
    const Window2d& w = g.window;
    p.a.assign(size_t(p.dims.m * p.dims.k), 0.0);
    for (int64_t n = 0; n < g.input.n; ++n)
        for (int64_t y = 0; y < g.output.h; ++y)
            for (int64_t x = 0; x < g.output.w; ++x) {
                const int64_t m = (n * g.output.h + y) * g.output.w + x;
                for (int64_t c = 0; c < g.in_per_group(); ++c)
                    for (int64_t r = 0; r < w.kernel_h; ++r)
                        for (int64_t s = 0; s < w.kernel_w; ++s) {
                            const int64_t iy = y * w.stride_h - w.pad_top + r * w.dilation_h;
                            const int64_t ix = x * w.stride_w - w.pad_left + s * w.dilation_w;
                            if (iy < 0 || iy >= g.input.h || ix < 0 || ix >= g.input.w) continue;
                            const int64_t k = (c * w.kernel_h + r) * w.kernel_w + s;
                            p.a[size_t(m * p.dims.k + k)] =
                                in.value(((n * g.input.c + c) * g.input.h + iy) * g.input.w + ix);
                        }
            }
    p.b.assign(size_t(p.dims.k * p.dims.n), 0.0);
    for (int64_t f = 0; f < p.dims.n; ++f)
        for (int64_t k = 0; k < p.dims.k; ++k) p.b[size_t(k * p.dims.n + f)] = weight(f * p.dims.k + k);
    return p;
}

}  // namespace npu

#include "sim/runtime/scalesim_model.h"

#include "arch/energy_model.h"
#include "arch/scalesim_timing.h"

namespace npu {

GemmDims scalesim_gemm(const Graph& g, int index) {
    const Layer& l = g.layers[size_t(index)];
    const Shape in = g.layers[size_t(l.inputs[0])].output;
    if (l.kind == LayerKind::FullyConnected) return GemmDims{in.n, in.per_image(), l.fc.out_features};
    const Window2d& w = l.conv.window;
    auto out = [](int64_t size, int64_t extent, int64_t stride) {
        return (size - extent + stride + stride - 1) / stride;
    };
    const int64_t oh = out(in.h + w.pad_top + w.pad_bottom, w.extent_h(), w.stride_h);
    const int64_t ow = out(in.w + w.pad_left + w.pad_right, w.extent_w(), w.stride_w);
    const int64_t groups = l.conv.groups;
    return GemmDims{in.n * oh * ow, (in.c / groups) * w.kernel_h * w.kernel_w, l.conv.filters / groups};
}

RunResult run_scalesim_model(const Graph& g, const NpuConfig& c, Precision precision) {
    RunResult r = run_header(c, g, precision);
    r.timing_model = "scalesim";
    const ArrayShape array{c.rows, c.cols};
    for (size_t i = 1; i < g.layers.size(); ++i) {
        const Layer& l = g.layers[i];
        if (l.kind == LayerKind::Input) continue;
        LayerResult lr = layer_header(g, int(i));
        lr.unit = "array";
        if (l.kind == LayerKind::Conv2d || l.kind == LayerKind::FullyConnected) {
            const GemmDims gemm = scalesim_gemm(g, int(i));
            const int64_t groups = l.kind == LayerKind::Conv2d ? l.conv.groups : 1;
            const ScaleSimFolds f = scalesim_folds(c.dataflow, gemm, array);
            lr.macs = groups * gemm.macs();
            lr.folds = groups * f.folds;
            lr.cycles = groups * scalesim_layer_cycles(c.dataflow, gemm, array);
        }
        lr.compute_cycles = lr.cycles;
        lr.end_ns = c.clock().ns(r.cycles + lr.cycles);
        lr.activity.macs = lr.macs;
        lr.activity.time_ns = c.clock().ns(lr.cycles);
        lr.energy = energy_of(c, precision, lr.activity);  // MACs and leakage only: no memory model
        r.macs += lr.macs;
        r.cycles += lr.cycles;
        r.compute_cycles += lr.cycles;
        r.energy.mac_pj += lr.energy.mac_pj;
        r.energy.static_pj += lr.energy.static_pj;
        r.layers.push_back(lr);
    }
    return r;
}

}  // namespace npu

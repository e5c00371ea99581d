#include "sim/runtime/run_result.h"

#include "sim/version.h"

namespace npu {

LayerResult layer_header(const Graph& g, int index) {
    const Layer& l = g.layers[size_t(index)];
    LayerResult lr;
    lr.graph_index = index;
    lr.name = l.name;
    lr.kind = kind_name(l.kind);
    if (l.activation != Activation::None) lr.kind += std::string("+") + activation_name(l.activation);
    lr.output = l.output;
    const Shape in = l.inputs.empty() ? Shape{} : g.layers[size_t(l.inputs[0])].output;
    if (l.kind == LayerKind::FullyConnected) lr.gemm = {in.n, in.per_image(), l.fc.out_features, 1};
    if (l.kind == LayerKind::Conv2d) {
        const int64_t groups = l.conv.groups;
        lr.gemm = {l.output.n * l.output.h * l.output.w,
                   (in.c / groups) * l.conv.window.kernel_h * l.conv.window.kernel_w, l.conv.filters / groups, groups};
    }
    return lr;
}

RunResult run_header(const NpuConfig& c, const Graph& g, Precision precision) {
    RunResult r;
    r.design = c.name;
    r.workload = g.name;
    r.precision = precision_name(precision);
    r.dataflow = dataflow_name(c.dataflow);
    r.batch = g.input().output.n;
    r.rows = c.rows;
    r.cols = c.cols;
    r.clock_mhz = c.clock_mhz;
    r.peak_tops = c.peak_tops();
    r.dram_bandwidth_gbps = c.dram.bandwidth_gbps;
    r.area = area_of(c);
    r.provenance.npusim_version = npusim_version();
    r.provenance.input_size = g.input().output.str();
    return r;
}

}  // namespace npu

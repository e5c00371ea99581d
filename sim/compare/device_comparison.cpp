#include "sim/compare/device_comparison.h"

#include <fmt/format.h>

#include "common/clock.h"
#include "kernels/model/conv_geometry.h"

namespace npu {
namespace {

// Input, weights and output once each: the least a GPU kernel of this shape moves.
double compulsory_bytes(const LayerShapeKey& k, Precision p) {
    int64_t in = 1;
    for (int64_t d : k.input) in *= d;
    int64_t weights = 0, out = 0;
    if (k.kind == "fc") {
        weights = k.input[1] * k.out;
        out = k.input[0] * k.out;
    } else {
        const int64_t oh = (k.input[2] + 2 * k.pad_h - k.kernel_h) / k.stride_h + 1;
        const int64_t ow = (k.input[3] + 2 * k.pad_w - k.kernel_w) / k.stride_w + 1;
        weights = k.out * (k.input[1] / k.groups) * k.kernel_h * k.kernel_w;
        out = k.input[0] * k.out * oh * ow;
    }
    return double(in + weights + out) * double(element_bytes(p));
}

DeviceFigures npu_figures(const LayerResult& l, const RunResult& run) {
    DeviceFigures f;
    f.macs = l.macs;
    f.ms = Clock{run.clock_mhz}.ns(l.cycles) * 1e-6;
    f.mj = l.energy.total_pj() * 1e-9;
    f.peak_fraction = l.utilization(run.rows * run.cols);
    const int64_t bytes = l.dram_read_bytes + l.dram_write_bytes;
    f.ops_per_byte = bytes > 0 ? 2.0 * double(l.macs) / double(bytes) : 0.0;
    return f;
}

DeviceFigures gpu_figures(const GpuLayerMeasurement& m, const GpuSpec& spec, Precision p) {
    DeviceFigures f;
    f.macs = m.macs;
    f.ms = m.ms;
    f.mj = m.energy_uj * 1e-3;
    f.peak_fraction = 2.0 * double(m.macs) / (m.ms * 1e-3) / spec.peak_ops_per_s(p);
    f.ops_per_byte = 2.0 * double(m.macs) / compulsory_bytes(m.shape, p);
    return f;
}

void add(DeviceFigures& sum, const DeviceFigures& f) {
    sum.ms += f.ms;
    sum.mj += f.mj;
    sum.macs += f.macs;
    sum.peak_fraction += f.peak_fraction * double(f.macs);  // divided by the MACs at the end
}

}  // namespace

double DeviceFigures::tops() const { return ms > 0 ? 2.0 * double(macs) / (ms * 1e-3) / 1e12 : 0.0; }

LayerShapeKey layer_shape_key(const Graph& graph, int layer) {
    const Layer& l = graph.layers[size_t(layer)];
    LayerShapeKey k;
    if (l.kind != LayerKind::Conv2d && l.kind != LayerKind::FullyConnected) return k;
    const Shape in = graph.layers[size_t(l.inputs[0])].output;
    if (l.kind == LayerKind::FullyConnected) {
        k.kind = "fc";
        k.input = {in.n, in.per_image()};
        k.out = l.fc.out_features;
        return k;
    }
    const ConvGeometry g = ConvGeometry::from_layer(l, in);
    k.kind = "conv";
    k.input = {in.n, in.c, in.h, in.w};
    k.out = g.output.c;
    k.kernel_h = g.window.kernel_h, k.kernel_w = g.window.kernel_w;
    k.stride_h = g.window.stride_h, k.stride_w = g.window.stride_w;
    k.pad_h = g.window.pad_top, k.pad_w = g.window.pad_left;
    k.groups = g.groups;
    return k;
}

ComparedLayer DeviceComparison::total() const {
    ComparedLayer t;
    t.name = "total";
    for (const ComparedLayer& l : layers) {
        add(t.npu, l.npu);
        add(t.gpu, l.gpu);
        t.macs += l.macs;
    }
    for (DeviceFigures* f : {&t.npu, &t.gpu}) f->peak_fraction = f->macs ? f->peak_fraction / double(f->macs) : 0.0;
    return t;
}

DeviceComparison compare_devices(const RunResult& npu, const Graph& graph, Precision npu_precision,
                                 const GpuMeasurement& gpu, const GpuSpec& spec, Precision gpu_precision) {
    DeviceComparison c;
    c.design = npu.design;
    c.gpu = spec.name;
    c.npu_precision = npu_precision, c.gpu_precision = gpu_precision;
    c.npu_peak_tops = npu.peak_tops, c.npu_dram_gbps = npu.dram_bandwidth_gbps;
    c.gpu_peak_tops = spec.peak_ops_per_s(gpu_precision) / 1e12, c.gpu_memory_gbps = spec.memory_gbps;
    std::vector<bool> used(gpu.layers.size(), false);
    for (const LayerResult& l : npu.layers) {
        const LayerShapeKey key = layer_shape_key(graph, l.graph_index);
        if (key.kind.empty()) {
            const DeviceFigures f = npu_figures(l, npu);
            c.npu_other_ms += f.ms, c.npu_other_mj += f.mj;
            continue;
        }
        size_t row = 0;
        while (row < gpu.layers.size() && (used[row] || !(gpu.layers[row].shape == key))) ++row;
        if (row == gpu.layers.size()) {
            c.npu_unmatched.push_back(fmt::format("{}: {}", l.name, key.text()));
            continue;
        }
        used[row] = true;
        c.layers.push_back(
            {l.name, key, l.macs, npu_figures(l, npu), gpu_figures(gpu.layers[row], spec, gpu_precision)});
    }
    for (size_t row = 0; row < gpu.layers.size(); ++row)
        if (!used[row])
            c.gpu_unmatched.push_back(fmt::format("row {}: {}", gpu.layers[row].index, gpu.layers[row].shape.text()));
    return c;
}

}  // namespace npu

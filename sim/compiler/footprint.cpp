#include "sim/compiler/footprint.h"

#include <algorithm>
#include <array>

#include "workloads/ops/op_def.h"

namespace npu {
namespace {

// A fused conv's output never exists, so a fused add's input home is its other operand's, and
// a fused pool's is "fused".
std::string input_home(const Graph& g, const CompiledModel& c, int layer) {
    std::string home;
    for (int input : g.layers[size_t(layer)].inputs) {
        if (c.fusion.fused_conv(input)) {
            if (g.layers[size_t(layer)].inputs.size() == 1) return "fused";
            continue;
        }
        const std::string h = c.residency.resident(c.dram.tensor_id[size_t(input)]) ? "sram" : "dram";
        home = home.empty() || home == h ? h : "mixed";
    }
    return home;
}

}  // namespace

Footprint memory_footprint(const Graph& g, const CompiledModel& c) {
    Footprint f;
    f.layers.resize(g.layers.size());
    const auto& high = c.tile_high_water;
    for (size_t i = 0; i < g.layers.size(); ++i) {
        const Layer& l = g.layers[i];
        LayerFootprint& lf = f.layers[i];
        const int32_t tensor = c.dram.tensor_id[i];
        const bool resident = c.residency.resident(tensor);
        lf.input_home = input_home(g, c, int(i));
        lf.weights_home = op_def(l.kind).weights ? "dram" : "";
        lf.output_home = c.fusion.fused_conv(int(i)) ? "fused" : resident ? "sram" : "dram";
        for (int64_t h : high[i]) lf.tile_bytes += h;
        lf.resident_bytes = c.residency.reserved_bytes[i];
        f.onchip_peak_bytes = std::max(f.onchip_peak_bytes, lf.onchip_bytes());
        if (op_def(l.kind).channel_records)
            f.weight_bytes += int64_t(layer_weights(g, int(i))) * int64_t(element_bytes(c.precision)) +
                              op_def(l.kind).channel_records(l) * isa::kChannelParamBytes;
        if (tensor != int32_t(i)) continue;  // an alias: no bytes of its own
        const int64_t output_bytes = l.output.elements() * c.dram.element_bytes[i];
        if (c.fusion.fused_conv(int(i))) {  // never stored
            ++f.fused_tensors;
            continue;
        }
        ++(resident ? f.resident_tensors : f.dram_tensors);
        if (!resident) f.dram_bytes += output_bytes;
        if (l.kind == LayerKind::Input || (!resident && c.residency.last_use[i] < 0)) f.io_bytes += output_bytes;
    }
    f.dram_bytes += f.weight_bytes;
    f.resident_peak_bytes = c.residency.peak_bytes;
    return f;
}

}  // namespace npu

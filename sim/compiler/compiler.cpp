#include "sim/compiler/compiler.h"

#include <fmt/format.h>

#include "common/error.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/conv_tiler.h"
#include "sim/compiler/lowering_table.h"

namespace npu {

namespace {

// Per layer, the bytes of `buffer` that a conv/fc layer's tiles take when they have the whole
// design (the tiling it picks with every tensor in DRAM); 0 for the other layers, whose tiles
// stream and shrink without reloading anything.
std::vector<int64_t> tile_demand(const Graph& g, const NpuConfig& c, Precision p, const DramPlan& dram,
                                 const FusionPlan& fusion, isa::Buffer buffer) {
    std::vector<int64_t> demand(g.layers.size(), 0);
    for (size_t i = 1; i < g.layers.size(); ++i) {
        const Layer& l = g.layers[i];
        if (lowering_for(l.kind).lower != lower_conv) continue;
        try {
            const ConvGeometry geometry = ConvGeometry::from_layer(l, g.layers[size_t(l.inputs[0])].output);
            const ConvTiling t = choose_conv_tiling(geometry, c, p, dram.element_bytes[i], l.name,
                                                    {false, false, fusion.fused_conv(int(i))});
            for (int o = 0; o < 3; ++o)
                if (home_of(c, Operand(o)) == buffer)
                    demand[i] += t.needs.slot_bytes[size_t(o)] * t.needs.slots[size_t(o)];
        } catch (const CompileError&) {
            // No tiling fits at all: lowering the layer reports it.
        }
    }
    return demand;
}

// Keeps a fusion only where the extra slot for the add's operand leaves the conv's tiling as it
// is (with every tensor in DRAM): smaller tiles would reload more, and their narrower boxes
// waste DRAM bursts, which can cost more than the round trip saves (small buffers). With the
// same tiles the fused conv moves the same loads and the add's round trip is gone.
void keep_profitable_fusions(FusionPlan& fusion, const Graph& g, const NpuConfig& c, Precision p,
                             const DramPlan& dram) {
    for (size_t i = 1; i < g.layers.size(); ++i) {
        if (!fusion.fused_conv(int(i))) continue;
        const Layer& l = g.layers[i];
        const ConvGeometry geometry = ConvGeometry::from_layer(l, g.layers[size_t(l.inputs[0])].output);
        bool keep = false;
        try {
            const ConvTiling apart = choose_conv_tiling(geometry, c, p, dram.element_bytes[i], l.name);
            const ConvTiling fused =
                choose_conv_tiling(geometry, c, p, dram.element_bytes[i], l.name, {false, false, true});
            keep = fused.groups == apart.groups && fused.channels == apart.channels && fused.filters == apart.filters &&
                   fused.batch == apart.batch && fused.rows == apart.rows && fused.cols == apart.cols &&
                   fused.m_outer == apart.m_outer;
        } catch (const CompileError&) {
            // No fused tiling fits: run the add apart.
        }
        if (!keep) {
            fusion.into_conv[size_t(fusion.add_of[i])] = -1;
            fusion.add_of[i] = -1;
        }
    }
}

}  // namespace

CompiledModel compile(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config,
                      Precision precision, const Limits& limits, DramAllocator* dram) {
    if (!config.supports(precision))
        throw CompileError(
            fmt::format("design '{}' has no {} MACs (it supports: {})", config.name, precision_name(precision), [&] {
                std::string s;
                for (Precision p : config.precisions) s += (s.empty() ? "" : ", ") + std::string(precision_name(p));
                return s;
            }()));
    CompiledModel out;
    out.precision = precision;
    DramAllocator fresh;  // without the simulation's allocator: a program of its own, from address 0
    out.dram = plan_dram(graph, precision, quant, dram ? *dram : fresh);
    out.fusion = plan_fusion(graph, quant, config);
    keep_profitable_fusions(out.fusion, graph, config, precision, out.dram);
    const std::vector<int64_t> demand =
        config.memory.residency
            ? tile_demand(graph, config, precision, out.dram, out.fusion, home_of(config, Operand::Ifmap))
            : std::vector<int64_t>{};
    out.residency = plan_residency(graph, out.dram, config, demand, &out.fusion);
    ProgramBuilder builder(precision, int32_t(graph.layers.size()), graph.layers.size(), limits);
    builder.set_overwrites(out.residency.overwrites);
    for (size_t i = 1; i < graph.layers.size(); ++i) {
        builder.set_layer(int32_t(i));
        // The layer's tiles get the buffer below the resident tensors live while it runs.
        const NpuConfig tiles = with_reserved(config, out.residency.buffer, out.residency.reserved_bytes[i]);
        const LoweringContext ctx{tiles, precision, graph, quant, out.dram, out.residency, out.fusion, builder};
        if (out.fusion.fused_add(int(i))) continue;  // the conv before it computed it
        try {
            const Lowering& lowering = lowering_for(graph.layers[i].kind);
            if (lowering.lower) lowering.lower(ctx, int(i));
        } catch (const LimitError& e) {
            throw CompileError(fmt::format("{}: {}", graph.where(int(i)), e.what()));
        }
    }
    out.program = builder.finish(out.dram.total_bytes);
    out.program.resident = resident_table(out.residency, out.dram);
    return out;
}

}  // namespace npu

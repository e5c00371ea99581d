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
                                 isa::Buffer buffer) {
    std::vector<int64_t> demand(g.layers.size(), 0);
    for (size_t i = 1; i < g.layers.size(); ++i) {
        const Layer& l = g.layers[i];
        if (lowering_for(l.kind).lower != lower_conv) continue;
        try {
            const ConvGeometry geometry = ConvGeometry::from_layer(l, g.layers[size_t(l.inputs[0])].output);
            const ConvTiling t = choose_conv_tiling(geometry, c, p, dram.element_bytes[i], l.name);
            for (int o = 0; o < 3; ++o)
                if (home_of(c, Operand(o)) == buffer)
                    demand[i] += t.needs.slot_bytes[size_t(o)] * t.needs.slots[size_t(o)];
        } catch (const CompileError&) {
            // No tiling fits at all: lowering the layer reports it.
        }
    }
    return demand;
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
    const std::vector<int64_t> demand =
        config.memory.residency ? tile_demand(graph, config, precision, out.dram, home_of(config, Operand::Ifmap))
                                : std::vector<int64_t>{};
    out.residency = plan_residency(graph, out.dram, config, demand);
    ProgramBuilder builder(precision, int32_t(graph.layers.size()), graph.layers.size(), limits);
    builder.set_overwrites(out.residency.overwrites);
    for (size_t i = 1; i < graph.layers.size(); ++i) {
        builder.set_layer(int32_t(i));
        // The layer's tiles get the buffer below the resident tensors live while it runs.
        const NpuConfig tiles = with_reserved(config, out.residency.buffer, out.residency.reserved_bytes[i]);
        const LoweringContext ctx{tiles, precision, graph, quant, out.dram, out.residency, builder};
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

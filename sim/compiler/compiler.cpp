#include "sim/compiler/compiler.h"

#include <fmt/format.h>

#include <optional>
#include <stdexcept>

#include "common/error.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/conv_tiler.h"
#include "sim/compiler/lowering_table.h"

namespace npu {

namespace {

// Whether a fused conv beats the conv and the layer after it apart, both estimated with every
// tensor in DRAM: the separate layer moves `round_trip_bytes` (an add reads the conv's output
// and its other operand and stores the sum; a pool reads the output and stores the pooled
// tensor) at no less than the DRAM's rate, in at least one transfer each (with the DRAM's
// latency). The fused conv's own estimate includes what it
// takes over (the add's operand, the pooled store) and the smaller tiles the extra slot and a
// pool's cuts leave it, which reload more and waste more of each burst on small buffers.
bool fusion_pays(const ConvTiling& fused, const ConvTiling& apart, int64_t round_trip_bytes,
                 int64_t round_trip_transfers, const NpuConfig& c) {
    const auto round_trip_cycles = int64_t(double(round_trip_bytes) / c.dram_bytes_per_cycle() +
                                           double(round_trip_transfers) * c.dram_latency_cycles());
    return fused.dram_bytes <= apart.dram_bytes + round_trip_bytes &&
           fused.estimated_cycles <= apart.estimated_cycles + round_trip_cycles;
}

// One pass over the conv/fc layers with the tiling each picks when it has the whole design and
// every tensor is in DRAM. It keeps a fusion only where it pays (fusion_pays). It returns, per
// layer, the bytes of `buffer` those tiles take (0 for the other layers, whose tiles stream and
// shrink without reloading anything): the room the memory planner leaves them.
std::vector<int64_t> settle_conv_tiles(FusionPlan& fusion, const Graph& g, const NpuConfig& c, Precision p,
                                       const DramPlan& dram, isa::Buffer buffer) {
    std::vector<int64_t> demand(g.layers.size(), 0);
    for (size_t i = 1; i < g.layers.size(); ++i) {
        const Layer& l = g.layers[i];
        if (lowering_for(l.kind).lower != lower_conv) continue;
        const ConvGeometry geometry = ConvGeometry::from_layer(l, g.layers[size_t(l.inputs[0])].output);
        std::optional<ConvTiling> tiles;
        try {
            tiles = choose_conv_tiling(geometry, c, p, dram.element_bytes[i], l.name);
            if (fusion.fused_conv(int(i))) {
                const Layer& next = g.layers[size_t(fusion.next_of[i])];
                const TensorHomes homes = next.kind == LayerKind::Add
                                              ? TensorHomes{false, false, true, false, FusedPool{}}
                                              : TensorHomes{false, false, false, false, fused_pool(next)};
                const ConvTiling fused = choose_conv_tiling(geometry, c, p, dram.element_bytes[i], l.name, homes);
                const int64_t e = dram.element_bytes[i], e_next = dram.element_bytes[size_t(fusion.next_of[i])];
                const int64_t out = geometry.output.elements();
                const int64_t round_trip = homes.fused_add ? out * (e + 2 * e_next)  // the add's operands
                                                           : out * e + homes.pool.output_elements * e_next;
                if (fusion_pays(fused, *tiles, round_trip, homes.fused_add ? 3 : 2, c))
                    tiles = fused;
                else
                    fusion.unfuse(int(i));
            }
        } catch (const CompileError&) {
            // No (fused) tiling fits: lowering the layer reports it, or runs the add apart.
            if (fusion.fused_conv(int(i))) fusion.unfuse(int(i));
        }
        if (!tiles) continue;
        for (int o = 0; o < 3; ++o)
            if (home_of(c, Operand(o)) == buffer)
                demand[i] += tiles->needs.slot_bytes[size_t(o)] * tiles->needs.slots[size_t(o)];
    }
    return demand;
}

// The plans every lowering reads: tensors in DRAM, fusions, conv tiles, residency.
CompiledModel plan(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config,
                   Precision precision, DramAllocator* dram) {
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
    const std::vector<int64_t> demand =
        settle_conv_tiles(out.fusion, graph, config, precision, out.dram, home_of(config, Operand::Ifmap));
    out.residency = plan_residency(graph, out.dram, config, demand, &out.fusion);
    return out;
}

// Lowers every layer, in order, with `builder` (the plans set); records conv tilings in `tilings`.
void lower_layers(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config,
                  const CompiledModel& plans, ProgramBuilder& builder, std::vector<TilingChoice>& tilings) {
    tilings.resize(graph.layers.size());
    builder.set_overwrites(plans.residency.overwrites);
    for (size_t i = 1; i < graph.layers.size(); ++i) {
        if (plans.fusion.computed_by_conv(int(i))) continue;  // the conv before it computed it
        builder.set_layer(int32_t(i));
        // The layer's tiles get the buffer below the resident tensors live while it runs.
        const NpuConfig tiles = with_reserved(config, plans.residency.buffer, plans.residency.reserved_bytes[i]);
        const LoweringContext ctx{tiles,           plans.precision, graph,   quant,   plans.dram,
                                  plans.residency, plans.fusion,    builder, &tilings};
        try {
            const Lowering& lowering = lowering_for(graph.layers[i].kind);
            if (lowering.lower) lowering.lower(ctx, int(i));
        } catch (const LimitError& e) {
            throw CompileError(fmt::format("{}: {}", graph.where(int(i)), e.what()));
        }
    }
}

void keep_counts(CompiledModel& out, const ProgramBuilder& builder) {
    out.layer_instructions = builder.layer_instructions();
    out.tile_high_water = builder.tile_high_water();
}

}  // namespace

CompiledModel compile(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config,
                      Precision precision, const Limits& limits, DramAllocator* dram) {
    CompiledModel out = plan(graph, quant, config, precision, dram);
    ProgramBuilder builder(precision, int32_t(graph.layers.size()), graph.layers.size(), limits);
    lower_layers(graph, quant, config, out, builder, out.tilings);
    keep_counts(out, builder);
    out.program = builder.finish(out.dram.total_bytes);
    out.program.resident = resident_table(out.residency, out.dram);
    return out;
}

CompiledModel compile_streamed(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config,
                               Precision precision, const Limits& limits, DramAllocator* dram) {
    CompiledModel out = plan(graph, quant, config, precision, dram);
    ProgramBuilder counter(precision, int32_t(graph.layers.size()), graph.layers.size(), limits);
    counter.count_only();
    lower_layers(graph, quant, config, out, counter, out.tilings);
    keep_counts(out, counter);
    out.program = counter.finish(out.dram.total_bytes);
    out.program.resident = resident_table(out.residency, out.dram);
    out.program.streamed_layer_instructions = out.layer_instructions;
    return out;
}

void feed_program(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config,
                  CompiledModel& compiled, std::function<void()> pace) {
    ProgramBuilder builder(compiled.precision, int32_t(graph.layers.size()), graph.layers.size(), Limits::none());
    builder.stream_into(compiled.program, std::move(pace));
    std::vector<TilingChoice> tilings;  // the same as the counting pass chose
    lower_layers(graph, quant, config, compiled, builder, tilings);
    if (builder.layer_instructions() != compiled.layer_instructions)
        throw std::logic_error("a streamed program's instructions differ from its counting pass");
}

}  // namespace npu

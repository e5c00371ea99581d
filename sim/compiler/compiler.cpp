#include "sim/compiler/compiler.h"

#include <fmt/format.h>

#include "common/error.h"
#include "sim/compiler/lowering_table.h"

namespace npu {

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
    ProgramBuilder builder(precision, int32_t(graph.layers.size()), graph.layers.size(), limits);
    const LoweringContext ctx{config, precision, graph, quant, out.dram, builder};
    for (size_t i = 1; i < graph.layers.size(); ++i) {
        builder.set_layer(int32_t(i));
        try {
            const Lowering& lowering = lowering_for(graph.layers[i].kind);
            if (lowering.lower) lowering.lower(ctx, int(i));
        } catch (const LimitError& e) {
            throw CompileError(fmt::format("{}: {}", graph.where(int(i)), e.what()));
        }
    }
    out.program = builder.finish(out.dram.total_bytes);
    return out;
}

}  // namespace npu

// Simulation::collect: a run's figures read from the stats registry, per layer and in total.
#include <algorithm>

#include "sim/runtime/simulation.h"

namespace npu {

namespace {

const char* computing_unit(LayerKind kind) {
    switch (kind) {
        case LayerKind::Conv2d:
        case LayerKind::FullyConnected: return "array";
        case LayerKind::Input:
        case LayerKind::Flatten: return "";
        default: return "vector";
    }
}

}  // namespace

// A layer's figures from the counters, by hierarchical name (arch/stats_registry.h); the tag is
// the layer's graph index. Needs lr.cycles (for stalls and static energy).
void Simulation::fill_layer_counters(LayerResult& lr, int i, Precision precision) const {
    const std::string npu = m_system->core(0).name();  // "npu.core0"
    auto counter = [&](const std::string& block, const char* stat) -> const TaggedCounter& {
        return m_stats.at(npu + "." + block + "." + stat);
    };
    const NpuConfig& c = m_config;
    lr.macs = counter("systolic_array", "macs").at(i);
    lr.folds = counter("systolic_array", "folds").at(i);
    lr.compute_cycles =
        counter(lr.unit == std::string("array") ? "systolic_array" : "vector_unit", "busy_cycles").at(i);
    lr.stall_cycles = std::max<int64_t>(0, lr.cycles - lr.compute_cycles);
    lr.dram_read_bytes = counter("dma", "dram_read_bytes").at(i);
    lr.dram_write_bytes = counter("dma", "dram_write_bytes").at(i);
    for (const char* buffer : {"unified", "ifmap", "weight", "output"}) {
        if (!m_stats.has(npu + "." + buffer + "_buffer.read_bytes")) continue;  // the design has no such buffer
        lr.sram_read_bytes[buffer] = counter(std::string(buffer) + "_buffer", "read_bytes").at(i);
        lr.sram_write_bytes[buffer] = counter(std::string(buffer) + "_buffer", "write_bytes").at(i);
    }
    lr.accumulator_reads = counter("accumulator", "reads").at(i);
    lr.accumulator_writes = counter("accumulator", "writes").at(i);
    lr.vector_ops = counter("vector_unit", "element_ops").at(i);

    ActivityCounts& a = lr.activity;
    a.macs = lr.macs;
    a.sram_read_bytes = lr.sram_read_bytes;
    a.sram_write_bytes = lr.sram_write_bytes;
    a.accumulator_accesses = lr.accumulator_reads + lr.accumulator_writes;
    a.dram_bytes_moved =
        (counter("dma", "dram_read_bursts").at(i) + counter("dma", "dram_write_bursts").at(i)) * c.dram.burst_bytes;
    a.vector_ops = lr.vector_ops;
    a.time_ns = c.clock().ns(lr.cycles);
    lr.energy = energy_of(c, precision, a);
}

RunResult Simulation::collect(const PreparedWorkload& w, const CompiledModel& compiled, double start_ns) const {
    const Graph& g = w.model.graph;
    const NpuConfig& c = m_config;
    RunResult r = run_header(c, g, compiled.precision);
    r.functional = m_options.functional;
    r.instructions = int64_t(compiled.program.instructions.size());
    std::vector<int64_t> instructions(g.layers.size(), 0);
    for (const isa::Instruction& in : compiled.program.instructions) ++instructions[size_t(in.layer)];
    double previous_end = start_ns;
    for (size_t i = 1; i < g.layers.size(); ++i) {
        const Layer& l = g.layers[i];
        if (l.kind == LayerKind::Input) continue;
        LayerResult lr = layer_header(g, int(i));
        lr.unit = computing_unit(l.kind);
        lr.instructions = instructions[i];
        const double end =
            instructions[i] ? std::max(previous_end, m_system->core(0).scoreboard.layer_end_ns(i)) : previous_end;
        lr.end_ns = end - start_ns;
        lr.cycles = c.clock().cycles(end - previous_end);
        previous_end = end;
        fill_layer_counters(lr, int(i), compiled.precision);

        r.macs += lr.macs;
        r.cycles += lr.cycles;
        r.compute_cycles += lr.compute_cycles;
        r.dram_read_bytes += lr.dram_read_bytes;
        r.dram_write_bytes += lr.dram_write_bytes;
        r.energy += lr.energy;
        r.layers.push_back(std::move(lr));
    }
    r.stall_cycles = std::max<int64_t>(0, r.cycles - r.compute_cycles);
    r.compulsory_dram_bytes = int64_t(compiled.dram.compulsory_bytes);
    r.stats = dump_stats(g);
    for (const Layer& l : g.layers) r.stats_tags.push_back(l.name);
    r.provenance.seed = w.seed;
    r.provenance.fidelity = m_options.fidelity == Fidelity::Detailed ? "detailed" : "fast";
    return r;
}

std::vector<CounterDump> Simulation::dump_stats(const Graph& g) const {
    std::vector<CounterDump> dump;
    for (const StatsRegistry::Entry& e : m_stats.entries()) {
        CounterDump d{e.name, e.unit, e.counter.total(), {}};
        for (size_t i = 0; i < g.layers.size(); ++i) d.by_tag.push_back(e.counter.at(i));
        dump.push_back(std::move(d));
    }
    return dump;
}

}  // namespace npu

// Simulation::collect: a run's figures read from the stats registry, per layer and in total.
#include <algorithm>

#include "sim/compiler/footprint.h"
#include "sim/runtime/simulation.h"
#include "workloads/ops/op_def.h"

namespace npu {

namespace {

// One core's counters, looked up by hierarchical name once per collection (not per layer).
struct CoreCounters {
    const TaggedCounter *array_busy, *macs, *folds, *vector_busy, *element_ops;
    const TaggedCounter *dram_read, *dram_write, *read_bursts, *write_bursts, *acc_reads, *acc_writes;
    const TaggedCounter *activates, *refreshes;  // banked DRAM
    const TaggedCounter *onchip_read, *onchip_write;
    const TaggedCounter *skipped_macs, *gated_macs, *packed_weight_bytes;
    struct Buffer {
        const char* name;  // report name: "unified", "ifmap", "weight", "output"
        const TaggedCounter *read_bytes, *write_bytes;
    };
    std::vector<Buffer> buffers;  // the ones the design has
};

CoreCounters core_counters(const StatsRegistry& stats, const std::string& core) {
    auto at = [&](const char* block, const char* stat) { return &stats.at(core + "." + block + "." + stat); };
    CoreCounters k{at("systolic_array", "busy_cycles"),
                   at("systolic_array", "macs"),
                   at("systolic_array", "folds"),
                   at("vector_unit", "busy_cycles"),
                   at("vector_unit", "element_ops"),
                   at("dma", "dram_read_bytes"),
                   at("dma", "dram_write_bytes"),
                   at("dma", "dram_read_bursts"),
                   at("dma", "dram_write_bursts"),
                   at("accumulator", "reads"),
                   at("accumulator", "writes"),
                   at("dma", "dram_activates"),
                   at("dma", "dram_refreshes"),
                   at("dma", "onchip_read_bytes"),
                   at("dma", "onchip_write_bytes"),
                   at("systolic_array", "skipped_macs"),
                   at("systolic_array", "gated_macs"),
                   at("dma", "packed_weight_bytes"),
                   {}};
    for (const char* buffer : {"unified", "ifmap", "weight", "output"}) {
        const std::string block = std::string(buffer) + "_buffer";
        if (!stats.has(core + "." + block + ".read_bytes")) continue;  // the design has no such buffer
        k.buffers.push_back({buffer, at(block.c_str(), "read_bytes"), at(block.c_str(), "write_bytes")});
    }
    return k;
}

// The banked DRAM's bursts and commands under `tag`, for its per-operation energy.
void add_banked(const CoreCounters& k, size_t tag, ActivityCounts& a) {
    a.dram_read_bursts += k.read_bursts->at(tag);
    a.dram_write_bursts += k.write_bursts->at(tag);
    a.dram_activates += k.activates->at(tag);
    a.dram_refreshes += k.refreshes->at(tag);
}

// A layer's figures from the counters; the tag is the layer's graph index. Needs lr.cycles (for
// stalls and static energy).
void fill_layer_counters(LayerResult& lr, size_t i, const CoreCounters& k, const NpuConfig& c, Precision precision) {
    lr.macs = k.macs->at(i);
    lr.sparsity = {k.skipped_macs->at(i), k.gated_macs->at(i), k.packed_weight_bytes->at(i)};
    lr.folds = k.folds->at(i);
    lr.compute_cycles = (lr.unit == std::string("array") ? k.array_busy : k.vector_busy)->at(i);
    lr.stall_cycles = std::max<int64_t>(0, lr.cycles - lr.compute_cycles);
    lr.dram_read_bytes = k.dram_read->at(i);
    lr.dram_write_bytes = k.dram_write->at(i);
    lr.onchip_read_bytes = k.onchip_read->at(i);
    lr.onchip_write_bytes = k.onchip_write->at(i);
    for (const CoreCounters::Buffer& b : k.buffers) {
        lr.sram_read_bytes[b.name] = b.read_bytes->at(i);
        lr.sram_write_bytes[b.name] = b.write_bytes->at(i);
    }
    lr.accumulator_reads = k.acc_reads->at(i);
    lr.accumulator_writes = k.acc_writes->at(i);
    lr.vector_ops = k.element_ops->at(i);

    ActivityCounts& a = lr.activity;
    a.macs = lr.macs;
    a.gated_macs = lr.sparsity.gated_macs;
    a.sram_read_bytes = lr.sram_read_bytes;
    a.sram_write_bytes = lr.sram_write_bytes;
    a.accumulator_accesses = lr.accumulator_reads + lr.accumulator_writes;
    a.dram_bytes_moved = (k.read_bursts->at(i) + k.write_bursts->at(i)) * c.dram.burst_bytes;
    add_banked(k, i, a);
    a.vector_ops = lr.vector_ops;
    a.time_ns = c.clock().ns(lr.cycles);
    lr.energy = energy_of(c, precision, a);
}

// The DRAM's figures over the run; derived here, in one place, from the totals and the banked
// model's state after the program.
RunResult::DramActivity dram_activity(const RunResult& r, const BankedDramTiming* banked) {
    RunResult::DramActivity d;
    const double ns = r.time_ns();
    if (ns > 0) d.achieved_gbps = double(r.dram_read_bytes + r.dram_write_bytes) / ns;  // bytes/ns = GB/s
    if (!banked) return d;
    d.banked = true;
    d.refresh_ns = banked->counts().refresh_ns;
    d.bank_busy_ns = banked->bank_busy_ns();
    for (double b : d.bank_busy_ns) {
        d.bank_busy_max_ns = std::max(d.bank_busy_max_ns, b);
        d.bank_busy_mean_ns += b / double(d.bank_busy_ns.size());
    }
    return d;
}

LayerTiling layer_tiling(const TilingChoice& choice) {
    const ConvTiling& t = choice.chosen;
    LayerTiling lt;
    lt.shape = t.shape();
    lt.order = t.order();
    lt.bound = t.bound;
    lt.reason = choice.reason();
    lt.tiles = t.tiles;
    lt.fitting = choice.fitting;
    lt.estimated_cycles = t.estimated_cycles;
    lt.estimated_dram_bytes = t.dram_bytes;
    if (choice.has_runner_up) {
        lt.runner_up = choice.runner_up.shape();
        lt.runner_up_cycles = choice.runner_up.estimated_cycles;
    }
    return lt;
}

// The weights the array multiplies and how many are not zero (the zero point for imported
// asymmetric models): pruning's zeros and the ones quantization makes of small weights.
WeightCount count_weights(const QuantLayer& q) {
    WeightCount n;
    if (!q.weight_q.empty()) {
        n.values = int64_t(q.weight_q.size());
        for (int8_t v : q.weight_q) n.nonzero += int32_t(v) != q.weight_zero_point;
    } else {
        n.values = int64_t(q.weight_f.size());
        for (float v : q.weight_f) n.nonzero += v != 0.0f;
    }
    return n;
}

}  // namespace

RunResult Simulation::collect(const PreparedWorkload& w, const CompiledModel& compiled, double start_ns) const {
    const Graph& g = w.model.graph;
    const NpuConfig& c = m_config;
    RunResult r = run_header(c, g, compiled.precision);
    r.functional = m_options.functional;
    const std::vector<int64_t>& instructions = compiled.layer_instructions;
    r.instructions = 0;
    for (int64_t n : instructions) r.instructions += n;
    const CoreCounters counters = core_counters(m_stats, m_system->core(0).name());  // "npu.core0"
    const Footprint footprint = memory_footprint(g, compiled);
    double previous_end = start_ns;
    for (size_t i = 1; i < g.layers.size(); ++i) {
        const Layer& l = g.layers[i];
        if (l.kind == LayerKind::Input) continue;
        LayerResult lr = layer_header(g, int(i));
        lr.unit = unit_name(op_def(l.kind).unit);
        if (w.has_values && prunable(l.kind)) lr.weights = count_weights(w.model.layers[i]);
        r.weights += lr.weights;
        lr.instructions = instructions[i];
        const double end =
            instructions[i] ? std::max(previous_end, m_system->core(0).scoreboard.layer_end_ns(i)) : previous_end;
        lr.end_ns = end - start_ns;
        lr.cycles = c.clock().cycles(end - previous_end);
        previous_end = end;
        fill_layer_counters(lr, i, counters, c, compiled.precision);
        const LayerFootprint& lf = footprint.layers[i];
        lr.input_home = lf.input_home;
        lr.weights_home = lf.weights_home;
        lr.output_home = lf.output_home;
        lr.onchip_bytes = lf.onchip_bytes();
        if (i < compiled.tilings.size() && compiled.tilings[i].fitting > 0)
            lr.tiling = layer_tiling(compiled.tilings[i]);
        r.onchip_read_bytes += lr.onchip_read_bytes;
        r.onchip_write_bytes += lr.onchip_write_bytes;

        r.macs += lr.macs;
        r.sparsity += lr.sparsity;
        r.cycles += lr.cycles;
        r.compute_cycles += lr.compute_cycles;
        r.dram_read_bytes += lr.dram_read_bytes;
        r.dram_write_bytes += lr.dram_write_bytes;
        r.energy += lr.energy;
        r.layers.push_back(std::move(lr));
    }
    r.stall_cycles = std::max<int64_t>(0, r.cycles - r.compute_cycles);
    r.compulsory_dram_bytes = footprint.dram_bytes;
    r.residency = compiled.residency.limit_bytes > 0;
    r.tiling_slack = m_config.memory.tiling_slack;
    r.pruning = w.pruning;
    r.pruning_applied = !w.pruning.empty();
    r.sparsity_mode = sparsity_name(c.sparsity);
    r.onchip_peak_bytes = footprint.onchip_peak_bytes;
    r.resident_peak_bytes = footprint.resident_peak_bytes;
    r.resident_tensors = footprint.resident_tensors;
    r.dram_tensors = footprint.dram_tensors;
    r.fused_tensors = footprint.fused_tensors;
    r.weight_bytes = footprint.weight_bytes;
    r.dram = dram_activity(r, m_system->dram.banked());
    r.io_bytes = footprint.io_bytes;
    r.stats = dump_stats(g);
    for (const Layer& l : g.layers) r.stats_tags.push_back(l.name);
    r.provenance.seed = w.seed;
    r.provenance.fidelity = m_options.fidelity == Fidelity::Detailed ? "detailed" : "fast";
    return r;
}

ProgramTotals& ProgramTotals::operator+=(const ProgramTotals& o) {
    ns += o.ns;
    cycles += o.cycles;
    macs += o.macs;
    array_busy_cycles += o.array_busy_cycles;
    vector_busy_cycles += o.vector_busy_cycles;
    dram_read_bytes += o.dram_read_bytes;
    dram_write_bytes += o.dram_write_bytes;
    energy += o.energy;
    return *this;
}

ProgramTotals Simulation::program_totals(double start_ns, Precision precision) const {
    const CoreCounters k = core_counters(m_stats, m_system->core(0).name());
    ProgramTotals t;
    t.ns = now_ns() - start_ns;
    t.cycles = m_config.clock().cycles(t.ns);
    ActivityCounts a;
    for (size_t tag = 0; tag < k.macs->tags(); ++tag) {
        t.macs += k.macs->at(tag);
        a.gated_macs += k.gated_macs->at(tag);
        t.array_busy_cycles += k.array_busy->at(tag);
        t.vector_busy_cycles += k.vector_busy->at(tag);
        t.dram_read_bytes += k.dram_read->at(tag);
        t.dram_write_bytes += k.dram_write->at(tag);
        for (const CoreCounters::Buffer& b : k.buffers) {
            a.sram_read_bytes[b.name] += b.read_bytes->at(tag);
            a.sram_write_bytes[b.name] += b.write_bytes->at(tag);
        }
        a.accumulator_accesses += k.acc_reads->at(tag) + k.acc_writes->at(tag);
        a.dram_bytes_moved += (k.read_bursts->at(tag) + k.write_bursts->at(tag)) * m_config.dram.burst_bytes;
        add_banked(k, tag, a);
        a.vector_ops += k.element_ops->at(tag);
    }
    a.macs = t.macs;
    a.time_ns = t.ns;
    t.energy = energy_of(m_config, precision, a);
    return t;
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

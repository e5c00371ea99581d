#include "sim/runtime/simulation.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "sim/runtime/output_check.h"
#include "workloads/ir/float_model.h"

namespace npu {

Simulation::Simulation(const NpuConfig& config, const SimulationOptions& options)
    : m_config(config), m_options(options) {
    m_npu = std::make_unique<Npu>(options.instance_name.c_str(), config, options.precision, options.fidelity,
                                  options.functional, m_stats, options.trace ? &m_trace : nullptr);
}

Simulation::~Simulation() = default;

RunResult Simulation::run(const PreparedWorkload& w) {
    if (m_options.functional && !w.has_values)
        throw std::logic_error("functional simulation needs a workload with values");
    m_compiled = compile(w.model.graph, w.model.layers, m_config, m_options.precision, m_options.limits);
    m_trace.clear();
    m_npu->start(m_compiled.program);
    if (w.has_values && m_options.functional) {
        const std::vector<uint8_t> image = dram_image(w.model, m_compiled.dram);
        std::memcpy(m_npu->dram.backing(), image.data(), image.size());
    }
    const int32_t layers = m_compiled.program.layers;
    m_npu->scoreboard.on_layer_done([this, layers](int32_t layer, double) {
        if (m_progress) m_progress(layer, layers);
    });
    const double start_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
    sc_core::sc_start();
    if (!m_npu->scoreboard.all_done())
        throw std::logic_error("simulation stopped with instructions pending (program deadlock)");
    RunResult result = collect(w, start_ns);
    if (m_options.functional && m_options.check) check_outputs(w, result);
    return result;
}

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

RunResult Simulation::collect(const PreparedWorkload& w, double start_ns) const {
    const Graph& g = w.model.graph;
    const NpuConfig& c = m_config;
    RunResult r = run_header(c, g, m_options.precision);
    r.functional = m_options.functional;
    r.instructions = int64_t(m_compiled.program.instructions.size());
    std::vector<int64_t> instructions(g.layers.size(), 0);
    for (const isa::Instruction& in : m_compiled.program.instructions) ++instructions[size_t(in.layer)];
    // Counters by hierarchical name (arch/stats_registry.h); the tag is the layer index.
    const std::string npu = m_npu->name();
    auto counter = [&](const std::string& block, const char* stat) -> const TaggedCounter& {
        return m_stats.at(npu + "." + block + "." + stat);
    };
    double previous_end = start_ns;
    for (size_t i = 1; i < g.layers.size(); ++i) {
        const Layer& l = g.layers[i];
        if (l.kind == LayerKind::Input) continue;
        LayerResult lr = layer_header(g, int(i));
        lr.unit = computing_unit(l.kind);
        lr.instructions = instructions[i];
        lr.macs = counter("systolic_array", "macs").at(i);
        lr.folds = counter("systolic_array", "folds").at(i);
        const double end = instructions[i] ? std::max(previous_end, m_npu->scoreboard.layer_end_ns(i)) : previous_end;
        lr.end_ns = end - start_ns;
        lr.cycles = c.clock().cycles(end - previous_end);
        previous_end = end;
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
        lr.energy = energy_of(c, m_options.precision, a);

        r.macs += lr.macs;
        r.cycles += lr.cycles;
        r.compute_cycles += lr.compute_cycles;
        r.dram_read_bytes += lr.dram_read_bytes;
        r.dram_write_bytes += lr.dram_write_bytes;
        r.energy += lr.energy;
        r.layers.push_back(std::move(lr));
    }
    r.stall_cycles = std::max<int64_t>(0, r.cycles - r.compute_cycles);
    r.compulsory_dram_bytes = int64_t(m_compiled.dram.compulsory_bytes);
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

HostTensor Simulation::layer_output(const Graph& graph, int layer) const {
    if (!m_options.functional) throw std::logic_error("layer_output needs a functional simulation");
    const Shape shape = graph.layers[size_t(layer)].output;
    HostTensor t = m_compiled.dram.element_bytes[size_t(layer)] == 4 && m_options.precision == Precision::Int8
                       ? HostTensor::zeros_int32(shape)
                       : HostTensor::zeros(shape, m_options.precision);
    std::memcpy(t.bytes.data(), m_npu->dram.backing() + m_compiled.dram.output_address[size_t(layer)], t.bytes.size());
    return t;
}

void Simulation::check_outputs(const PreparedWorkload& w, RunResult& r) const {
    const uint8_t* dram = m_npu->dram.backing();
    check_layer_outputs(w.model, m_compiled.dram, dram, r);
}

}  // namespace npu

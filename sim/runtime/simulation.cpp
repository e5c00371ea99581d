#include "sim/runtime/simulation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "sim/runtime/output_check.h"
#include "workloads/ir/float_model.h"

namespace npu {

Simulation::Simulation(const NpuConfig& config, const SimulationOptions& options)
    : m_config(config), m_options(options) {
    m_system = std::make_unique<NpuSystem>(options.instance_name.c_str(), config, 1, options.fidelity,
                                           options.functional, m_stats, options.trace ? &m_trace : nullptr);
}

Simulation::~Simulation() = default;

RunResult Simulation::run(const PreparedWorkload& w) {
    if (m_options.functional && !w.has_values)
        throw std::logic_error("functional simulation needs a workload with values");
    release_dram();
    m_trace.clear();
    double start_ns = 0;
    if (m_options.functional) {
        m_compiled = compile(w);
        load(w.model, m_compiled);
        start_ns = execute(m_compiled.program);
    } else {
        // Timing-only programs grow with the batch: streamed, in bounded memory.
        const Graph& g = w.model.graph;
        m_compiled = compile_streamed(g, w.model.layers, m_config, w.model.precision, m_options.limits, &m_dram);
        Controller& controller = m_system->core(0).controller;
        const isa::InstructionWindow& held = m_compiled.program.instructions;
        m_peak_held_instructions = 0;
        m_system->start_streamed(m_compiled.program, [&] {
            feed_program(g, w.model.layers, m_config, m_compiled, [&] {
                m_peak_held_instructions = std::max(m_peak_held_instructions, held.held());
                controller.pace();
            });
        });
        start_ns = run_started(m_compiled.program.layers);
        m_compiled.program.instructions.release_below(m_compiled.program.instructions.size());
    }
    RunResult result = collect(w, m_compiled, start_ns);
    if (m_options.functional && m_options.check) check(w, m_compiled, result);
    return result;
}

CompiledModel Simulation::compile(const PreparedWorkload& w, Activations activations) {
    // The prepared model's precision: one elaborated NPU runs programs of every precision its
    // design lists (the precision is per instruction).
    NpuConfig config = m_config;
    if (activations == Activations::InDram) {
        config.memory.residency = false;
        config.memory.fusion = false;
    }
    return npu::compile(w.model.graph, w.model.layers, config, w.model.precision, m_options.limits, &m_dram);
}

void Simulation::load(const QuantModel& model, const CompiledModel& compiled) {
    require_functional("load");
    write_dram(compiled.dram.base_address, dram_image(model, compiled.dram));
}

void Simulation::load(const QuantModel& model, const CompiledModel& compiled, const std::vector<bool>& resident) {
    require_functional("load");
    for_each_dram_write(model, compiled.dram, resident,
                        [&](uint64_t address, const uint8_t* bytes, size_t size) { write_raw(address, bytes, size); });
}

double Simulation::execute(const isa::Program& program) {
    m_system->start(program, 0);
    return run_started(program.layers);
}

double Simulation::run_started(int32_t layers) {
    m_system->core(0).scoreboard.on_layer_done([this, layers](int32_t layer, double) {
        if (m_progress) m_progress(layer, layers);
    });
    const double start_ns = now_ns();
    sc_core::sc_start();
    const std::string& feed_error = m_system->core(0).controller.feed_error();
    if (!feed_error.empty()) throw std::logic_error("the program's feed stopped: " + feed_error);
    if (!m_system->core(0).scoreboard.all_done())
        throw std::logic_error("simulation stopped with instructions pending (program deadlock)");
    return start_ns;
}

double Simulation::now_ns() const { return sc_core::sc_time_stamp().to_seconds() * 1e9; }

void Simulation::require_functional(const char* what) const {
    if (!m_options.functional) throw std::logic_error(std::string(what) + " needs a functional simulation");
}

void Simulation::write_dram(uint64_t address, const std::vector<uint8_t>& bytes) {
    require_functional("write_dram");
    write_raw(address, bytes.data(), bytes.size());
}

void Simulation::write_raw(uint64_t address, const uint8_t* bytes, size_t size) {
    m_system->dram.prepare(address + size);
    if (size > 0) std::memcpy(m_system->dram.backing() + address, bytes, size);
}

std::vector<uint8_t> Simulation::read_dram(uint64_t address, uint64_t bytes) const {
    require_functional("read_dram");
    if (address + bytes > m_system->dram.size())
        throw std::logic_error(fmt::format("read_dram: [{}, {}) is outside the {} bytes of DRAM", address,
                                           address + bytes, m_system->dram.size()));
    const uint8_t* from = m_system->dram.backing() + address;
    return std::vector<uint8_t>(from, from + bytes);
}

HostTensor Simulation::read_tensor(const CompiledModel& compiled, const Graph& graph, int layer) const {
    const Shape shape = graph.layers[size_t(layer)].output;
    HostTensor t = compiled.dram.element_bytes[size_t(layer)] == 4 && compiled.precision == Precision::Int8
                       ? HostTensor::zeros_int32(shape)
                       : HostTensor::zeros(shape, compiled.precision);
    t.bytes = read_dram(compiled.dram.output_address[size_t(layer)], t.bytes.size());
    return t;
}

void Simulation::check(const PreparedWorkload& w, const CompiledModel& compiled, RunResult& r) const {
    require_functional("check");
    check_layer_outputs(w.model, compiled, m_system->dram.backing(), r);
}

}  // namespace npu

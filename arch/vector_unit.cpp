#include "arch/vector_unit.h"

#include "arch/vector_datapath.h"

namespace npu {

VectorUnit::VectorUnit(sc_core::sc_module_name name, const NpuConfig& config, Controller& controller,
                       Scoreboard& scoreboard, const BufferSet& buffers, StatsRegistry& stats, TraceRecorder* trace)
    : sc_module(name),
      m_lanes(config.vector_lanes),
      m_cycle_ns(config.cycle_ns()),
      m_controller(controller),
      m_scoreboard(scoreboard),
      m_buffers(buffers),
      m_trace(trace),
      m_stats{stats.add(std::string(this->name()) + ".busy_cycles", "cycles", "cycles computing vector instructions"),
              stats.add(std::string(this->name()) + ".element_ops", "elements", "elements produced")} {
    SC_THREAD(run_thread);
    // The datapath runs Eigen kernels on this coroutine's stack (default: 64 KiB).
    set_stack_size(kDatapathStackBytes);
}

void VectorUnit::run_thread() {
    for (;;) {
        const int32_t index = m_controller.vector_queue.read();
        m_scoreboard.wait_for_dependencies(index);
        const isa::Instruction& instruction = m_scoreboard.program().instructions[size_t(index)];
        const isa::Vector& v = instruction.vector();
        const double start_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
        const Cycles cycles = vector_cycles(v, m_lanes);
        compute(v, instruction.layer);
        sc_core::wait(sc_core::sc_time(double(cycles.count()) * m_cycle_ns, sc_core::SC_NS));
        m_stats.busy_cycles.add(instruction.layer, cycles.count());
        m_stats.element_ops.add(instruction.layer, vector_element_ops(v));
        if (m_trace)
            m_trace->record({isa::Queue::Vector, instruction.layer, index, start_ns,
                             start_ns + double(cycles.count()) * m_cycle_ns});
        m_scoreboard.complete(index);
    }
}

void VectorUnit::compute(const isa::Vector& v, int32_t layer) {
    VectorOperands o;
    Scratchpad& dst = m_buffers.at(v.dst.buffer);
    dst.count_write(layer, v.dst.size);
    o.dst = dst.data(v.dst.offset, v.dst.size);
    if (isa::reads_params(v.op)) {
        Scratchpad& params = m_buffers.at(v.params.buffer);
        params.count_read(layer, v.params.size);
        o.params = params.data(v.params.offset, v.params.size);
    }
    if (v.op == isa::VectorOp::Requantize) {
        const int64_t entries = v.src.size;
        m_buffers.accumulator->count_reads(layer, entries);
        if (v.precision == Precision::Int8)
            o.accumulator = m_buffers.accumulator->int32(v.src.offset, entries);
        else
            o.accumulator = m_buffers.accumulator->fp32(v.src.offset, entries);
    } else {
        Scratchpad& src = m_buffers.at(v.src.buffer);
        src.count_read(layer, v.src.size);
        o.src = src.data(v.src.offset, v.src.size);
        if (isa::reads_second_input(v.op)) {
            Scratchpad& src2 = m_buffers.at(v.src2.buffer);
            src2.count_read(layer, v.src2.size);
            o.src2 = src2.data(v.src2.offset, v.src2.size);
        }
    }
    if (o.dst) execute_vector(v, v.precision, o);
}

}  // namespace npu

#include "arch/systolic_array.h"

#include "arch/gemm_datapath.h"

namespace npu {

SystolicArray::SystolicArray(sc_core::sc_module_name name, const NpuConfig& config, Fidelity fidelity,
                             Controller& controller, Scoreboard& scoreboard, const BufferSet& buffers,
                             StatsRegistry& stats, TraceRecorder* trace)
    : sc_module(name),
      m_dataflow(config.dataflow),
      m_sparsity(config.sparsity),
      m_shape{config.rows, config.cols},
      m_fidelity(fidelity),
      m_cycle_ns(config.cycle_ns()),
      m_pe_array(config.dataflow, ArrayShape{config.rows, config.cols}),
      m_controller(controller),
      m_scoreboard(scoreboard),
      m_buffers(buffers),
      m_trace(trace),
      m_stats{stats.add(std::string(this->name()) + ".busy_cycles", "cycles", "cycles computing GEMMs"),
              stats.add(std::string(this->name()) + ".macs", "macs", "multiply-accumulates"),
              stats.add(std::string(this->name()) + ".folds", "folds", "array loads of the stationary operand"),
              stats.add(std::string(this->name()) + ".skipped_macs", "macs",
                        "MACs of the dense GEMMs the sparse array did not execute"),
              stats.add(std::string(this->name()) + ".gated_macs", "macs",
                        "executed MACs on a zero weight, multiplier clock-gated")} {
    SC_THREAD(run_thread);
    // The datapath runs Eigen kernels on this coroutine's stack (default: 64 KiB).
    set_stack_size(kDatapathStackBytes);
}

void SystolicArray::run_thread() {
    for (;;) {
        const int32_t index = m_controller.array_queue.read();
        m_scoreboard.wait_for_dependencies(index);
        const isa::Instruction& instruction = m_scoreboard.program().instructions[size_t(index)];
        const isa::Gemm& g = instruction.gemm();
        const double start_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
        const isa::Region &a = g.a_region(), &b = g.b_region();
        const GemmCost cost =
            gemm_cost(g, m_dataflow, m_shape, m_sparsity, m_buffers.at(b.buffer).data(b.offset, b.size),
                      m_buffers.at(a.buffer).data(a.offset, a.size));
        count_traffic(g, cost, instruction.layer);
        Cycles cycles = cost.cycles;
        if (m_fidelity == Fidelity::Detailed)
            cycles = compute_detailed(g);  // nm and zero_skip are fast-only (the CLI refuses them)
        else
            compute_fast(g);
        sc_core::wait(sc_core::sc_time(double(cycles.count()) * m_cycle_ns, sc_core::SC_NS));
        m_stats.busy_cycles.add(instruction.layer, cycles.count());
        m_stats.macs.add(instruction.layer, cost.macs);
        m_stats.folds.add(instruction.layer, cost.folds);
        m_stats.skipped_macs.add(instruction.layer, cost.skipped_macs);
        m_stats.gated_macs.add(instruction.layer, cost.gated_macs);
        if (m_trace)
            m_trace->record({isa::Queue::Array, instruction.layer, index, start_ns,
                             start_ns + double(cycles.count()) * m_cycle_ns});
        m_scoreboard.complete(index);
    }
}

void SystolicArray::count_traffic(const isa::Gemm& g, const GemmCost& cost, int32_t layer) {
    const GemmTraffic& t = cost.traffic;
    const int64_t bytes = int64_t(element_bytes(g.precision));
    m_buffers.at(g.a_region().buffer).count_read(layer, t.ifmap_reads * g.groups * bytes);
    m_buffers.at(g.b_region().buffer).count_read(layer, cost.weight_read_bytes);
    m_buffers.accumulator->count_reads(layer, t.acc_reads * g.groups);
    m_buffers.accumulator->count_writes(layer, t.acc_writes * g.groups);
}

void SystolicArray::compute_fast(const isa::Gemm& g) {
    const uint8_t* in = m_buffers.at(g.a_region().buffer).data(g.a_region().offset, g.a_region().size);
    const uint8_t* w = m_buffers.at(g.b_region().buffer).data(g.b_region().offset, g.b_region().size);
    if (!in || !w) return;  // timing-only
    const int64_t entries = g.accumulator.size;
    if (g.precision == Precision::Int8) {
        gemm_int8(g, reinterpret_cast<const int8_t*>(in), reinterpret_cast<const int8_t*>(w),
                  m_buffers.accumulator->int32(g.accumulator.offset, entries));
    } else {
        gemm_float(g, in, w, m_buffers.accumulator->fp32(g.accumulator.offset, entries),
                   accumulation_fold(m_dataflow, m_shape.rows), g.precision);
    }
}

namespace {

// One group after another through the PE grid, operands gathered as the feeders would.
template <class T>
int64_t run_groups(PeArray& pe, const isa::Gemm& g, const uint8_t* in, const uint8_t* w, T* acc, Precision p) {
    const GemmDims dims{g.m(), g.k(), g.filters};
    std::vector<T> a(size_t(dims.m * dims.k), T(0)), b(size_t(dims.k * dims.n), T(0));
    std::vector<T> scratch(acc ? 0 : size_t(dims.m * dims.n));
    int64_t cycles = 0;
    for (int64_t group = 0; group < g.groups; ++group) {
        if (in && w) {
            gather_a(g, group, in, p, a.data());
            gather_b(g, group, w, p, b.data());
        }
        T* out = acc ? acc + group * dims.m * dims.n : scratch.data();
        cycles += pe.run(dims, a.data(), b.data(), out, g.accumulate);
    }
    return cycles;
}

}  // namespace

Cycles SystolicArray::compute_detailed(const isa::Gemm& g) {
    const uint8_t* in = m_buffers.at(g.a_region().buffer).data(g.a_region().offset, g.a_region().size);
    const uint8_t* w = m_buffers.at(g.b_region().buffer).data(g.b_region().offset, g.b_region().size);
    const int64_t entries = g.accumulator.size;
    if (g.precision == Precision::Int8)
        return Cycles(
            run_groups(m_pe_array, g, in, w, m_buffers.accumulator->int32(g.accumulator.offset, entries), g.precision));
    return Cycles(
        run_groups(m_pe_array, g, in, w, m_buffers.accumulator->fp32(g.accumulator.offset, entries), g.precision));
}

}  // namespace npu

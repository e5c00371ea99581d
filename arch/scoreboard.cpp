#include "arch/scoreboard.h"

namespace npu {

void Scoreboard::reset(const isa::Program& program) {
    m_program = &program;
    m_done.clear();
    m_done_base = 0;
    m_layer_pending = isa::layer_instruction_counts(program);
    m_layer_pending.resize(size_t(program.layers), 0);
    m_layer_end_ns.assign(size_t(program.layers), 0.0);
    m_remaining = 0;
    for (int64_t n : m_layer_pending) m_remaining += n;
}

void Scoreboard::wait_for_dependencies(int32_t index) {
    const isa::Instruction& in = m_program->instructions[size_t(index)];
    Waiter& waiter = m_waiters[size_t(in.queue)];
    for (int32_t dep : in.deps)
        while (!done(size_t(dep))) {
            waiter.awaited = dep;
            sc_core::wait(waiter.wake);
        }
}

void Scoreboard::complete(int32_t index) {
    const size_t slot = size_t(index) - m_done_base;
    if (slot >= m_done.size()) m_done.resize(slot + 1, 0);
    m_done[slot] = 1;
    for (; !m_done.empty() && m_done.front(); ++m_done_base) m_done.pop_front();
    --m_remaining;
    const int32_t layer = m_program->instructions[size_t(index)].layer;
    const double now_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
    m_layer_end_ns[size_t(layer)] = std::max(m_layer_end_ns[size_t(layer)], now_ns);
    if (--m_layer_pending[size_t(layer)] == 0 && m_layer_done) m_layer_done(layer, now_ns);
    // Wake only the queue waiting for this instruction, if any (at most one waiter per queue).
    for (Waiter& w : m_waiters)
        if (w.awaited == index) {
            w.awaited = -1;
            w.wake.notify(sc_core::SC_ZERO_TIME);
        }
}

}  // namespace npu

#include "arch/scoreboard.h"

namespace npu {

void Scoreboard::reset(const isa::Program& program) {
    m_program = &program;
    m_done.assign(program.instructions.size(), 0);
    m_layer_pending.assign(size_t(program.layers), 0);
    m_layer_end_ns.assign(size_t(program.layers), 0.0);
    for (const isa::Instruction& in : program.instructions) ++m_layer_pending[size_t(in.layer)];
    m_remaining = int64_t(program.instructions.size());
}

void Scoreboard::wait_for_dependencies(int32_t index) {
    const isa::Instruction& in = m_program->instructions[size_t(index)];
    Waiter& waiter = m_waiters[size_t(in.queue)];
    for (int32_t dep : in.deps)
        while (!m_done[size_t(dep)]) {
            waiter.awaited = dep;
            sc_core::wait(waiter.wake);
        }
}

void Scoreboard::complete(int32_t index) {
    m_done[size_t(index)] = 1;
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

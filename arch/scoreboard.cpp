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
    for (int32_t dep : m_program->instructions[size_t(index)].deps)
        while (!m_done[size_t(dep)]) sc_core::wait(m_completed);
}

void Scoreboard::complete(int32_t index) {
    m_done[size_t(index)] = 1;
    --m_remaining;
    const int32_t layer = m_program->instructions[size_t(index)].layer;
    const double now_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
    m_layer_end_ns[size_t(layer)] = std::max(m_layer_end_ns[size_t(layer)], now_ns);
    if (--m_layer_pending[size_t(layer)] == 0 && m_layer_done) m_layer_done(layer, now_ns);
    m_completed.notify(sc_core::SC_ZERO_TIME);
}

}  // namespace npu

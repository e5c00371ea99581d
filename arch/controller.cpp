#include "arch/controller.h"

namespace npu {

Controller::Controller(sc_core::sc_module_name name, Scoreboard& scoreboard, int queue_depth)
    : sc_module(name),
      load_queue("load_queue", queue_depth),
      store_queue("store_queue", queue_depth),
      array_queue("array_queue", queue_depth),
      vector_queue("vector_queue", queue_depth),
      m_scoreboard(scoreboard) {
    SC_THREAD(dispatch_thread);
}

void Controller::start(const isa::Program& program) {
    m_program = &program;
    m_pending = true;
    m_scoreboard.reset(program);
    m_start.notify(sc_core::SC_ZERO_TIME);
}

sc_core::sc_fifo<int32_t>& Controller::queue_for(isa::Queue q) {
    switch (q) {
        case isa::Queue::Load: return load_queue;
        case isa::Queue::Store: return store_queue;
        case isa::Queue::Array: return array_queue;
        case isa::Queue::Vector: return vector_queue;
    }
    return load_queue;
}

void Controller::dispatch_thread() {
    for (;;) {
        // The flag catches a program handed over before the simulation's first delta cycle.
        while (!m_pending) sc_core::wait(m_start);
        m_pending = false;
        const auto& instructions = m_program->instructions;
        for (size_t i = 0; i < instructions.size(); ++i) queue_for(instructions[i].queue).write(int32_t(i));
    }
}

}  // namespace npu

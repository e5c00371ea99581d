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
    SC_THREAD(feed_thread);
    set_stack_size(kDatapathStackBytes);  // the compiler's lowering runs on it
}

void Controller::start(const isa::Program& program) {
    m_program = &program;
    m_pending = true;
    m_scoreboard.reset(program);
    m_start.notify(sc_core::SC_ZERO_TIME);
}

void Controller::start_streamed(isa::Program& program, std::function<void()> feed) {
    m_streamed = &program;
    m_feed = std::move(feed);
    m_feed_pending = true;
    m_feed_waiting = false;
    m_dispatch_waiting = false;
    m_feed_error.clear();
    start(program);
    m_feed_start.notify(sc_core::SC_ZERO_TIME);
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

void Controller::wake_dispatch() {
    if (!m_dispatch_waiting) return;
    m_dispatch_waiting = false;
    m_fed.notify(sc_core::SC_ZERO_TIME);
}

void Controller::dispatch_thread() {
    for (;;) {
        // The flag catches a program handed over before the simulation's first delta cycle.
        while (!m_pending) sc_core::wait(m_start);
        m_pending = false;
        const isa::InstructionWindow& instructions = m_program->instructions;
        const size_t total = m_program->streamed() ? size_t(isa::instruction_count(*m_program)) : instructions.size();
        for (m_next_dispatch = 0; m_next_dispatch < total;) {
            while (m_next_dispatch >= instructions.size()) {  // a streamed program: the feed is behind
                m_dispatch_waiting = true;
                sc_core::wait(m_fed);
            }
            const size_t index = m_next_dispatch++;
            queue_for(instructions[index].queue).write(int32_t(index));
            if (m_feed_waiting && instructions.size() - m_next_dispatch <= kFeedAhead / 2) {
                m_feed_waiting = false;
                m_need_more.notify(sc_core::SC_ZERO_TIME);
            }
        }
    }
}

void Controller::pace() {
    isa::InstructionWindow& instructions = m_streamed->instructions;
    if (instructions.size() - m_next_dispatch < kFeedAhead) return;
    instructions.release_below(m_scoreboard.first_pending());
    wake_dispatch();
    m_feed_waiting = true;
    while (m_feed_waiting) sc_core::wait(m_need_more);
}

void Controller::feed_thread() {
    for (;;) {
        while (!m_feed_pending) sc_core::wait(m_feed_start);
        m_feed_pending = false;
        try {
            m_feed();
        } catch (const std::exception& e) {
            // The compiler's counting pass lowered the same program without error: a bug.
            m_feed_error = e.what();
            sc_core::sc_stop();
        }
        m_feed = nullptr;
        wake_dispatch();
    }
}

}  // namespace npu

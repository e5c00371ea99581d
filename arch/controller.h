#pragma once
// The instruction dispatcher: reads a program in order and pushes each instruction into the
// queue of the block that executes it (DMA load, DMA store, array, vector unit). Queues are
// bounded, so a long-running block back-pressures dispatch, as in a decoupled access-execute
// NPU (TPU v1, Gemmini).
#include <systemc>

#include <functional>
#include <string>

#include "arch/isa.h"
#include "arch/scoreboard.h"

namespace npu {

// Stack of the threads that run datapath arithmetic (Eigen blocks on the stack).
constexpr size_t kDatapathStackBytes = 8u << 20;

class Controller : public sc_core::sc_module {
public:
    sc_core::sc_fifo<int32_t> load_queue;
    sc_core::sc_fifo<int32_t> store_queue;
    sc_core::sc_fifo<int32_t> array_queue;
    sc_core::sc_fifo<int32_t> vector_queue;

    SC_HAS_PROCESS(Controller);
    Controller(sc_core::sc_module_name name, Scoreboard& scoreboard, int queue_depth);

    // Hands a program over; the dispatch starts at the next delta cycle of sc_start().
    void start(const isa::Program& program);
    // A streamed program: `feed` appends its instructions to `program` (whose
    // streamed_layer_instructions say how many there will be) on a thread of its own, calling
    // pace() after each one. The feed runs ahead of dispatch by at most kFeedAhead instructions;
    // what has completed is released meanwhile, so the program's memory stays bounded. It takes
    // no simulated time, and dispatch sees the same instructions in the same order, so the
    // cycles are those of the program held whole.
    void start_streamed(isa::Program& program, std::function<void()> feed);
    // Called by the feed after appending an instruction: waits while it is far enough ahead.
    void pace();
    static constexpr size_t kFeedAhead = 8192;
    // What stopped a streamed program's feed ("" if nothing did).
    const std::string& feed_error() const { return m_feed_error; }

private:
    void dispatch_thread();
    void feed_thread();
    void wake_dispatch();
    sc_core::sc_fifo<int32_t>& queue_for(isa::Queue q);

    Scoreboard& m_scoreboard;
    const isa::Program* m_program = nullptr;
    bool m_pending = false;
    sc_core::sc_event m_start;
    // Streamed programs.
    isa::Program* m_streamed = nullptr;
    std::function<void()> m_feed;
    bool m_feed_pending = false;
    size_t m_next_dispatch = 0;       // the index dispatch writes next
    bool m_dispatch_waiting = false;  // dispatch caught up with the feed
    bool m_feed_waiting = false;      // the feed is far enough ahead
    sc_core::sc_event m_feed_start, m_fed, m_need_more;
    std::string m_feed_error;
};

}  // namespace npu

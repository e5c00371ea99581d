#pragma once
// The instruction dispatcher: reads a program in order and pushes each instruction into the
// queue of the block that executes it (DMA load, DMA store, array, vector unit). Queues are
// bounded, so a long-running block back-pressures dispatch, as in a decoupled access-execute
// NPU (TPU v1, Gemmini).
#include <systemc>

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

private:
    void dispatch_thread();
    sc_core::sc_fifo<int32_t>& queue_for(isa::Queue q);

    Scoreboard& m_scoreboard;
    const isa::Program* m_program = nullptr;
    bool m_pending = false;
    sc_core::sc_event m_start;
};

}  // namespace npu

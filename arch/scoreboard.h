#pragma once
// Completion status of a program's instructions: the controller's view of what has finished.
// Units wait here for their instruction's dependencies; it also records when each layer ends.
#include <systemc>

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "arch/isa.h"

namespace npu {

class Scoreboard {
public:
    using LayerDoneCallback = std::function<void(int32_t layer, double end_ns)>;

    void reset(const isa::Program& program);
    // Blocks the calling SystemC thread until every dependency of `index` has completed.
    void wait_for_dependencies(int32_t index);
    void complete(int32_t index);

    bool all_done() const { return m_remaining == 0; }
    // Every instruction below this index has completed (a streamed program frees those).
    size_t first_pending() const { return m_done_base; }
    double layer_end_ns(size_t layer) const { return m_layer_end_ns[layer]; }
    const isa::Program& program() const { return *m_program; }
    void on_layer_done(LayerDoneCallback callback) { m_layer_done = std::move(callback); }

private:
    const isa::Program* m_program = nullptr;
    // Completion flags from m_done_base on (all below it are done): a window, as long as the
    // instructions in flight, not the program.
    std::deque<uint8_t> m_done;
    size_t m_done_base = 0;
    bool done(size_t index) const {
        return index < m_done_base || (index - m_done_base < m_done.size() && m_done[index - m_done_base]);
    }
    std::vector<int64_t> m_layer_pending;  // instructions of each layer not yet complete
    std::vector<double> m_layer_end_ns;
    int64_t m_remaining = 0;
    // The thread serving each queue waits for one dependency at a time; completing that
    // instruction wakes it, and no other thread.
    struct Waiter {
        int32_t awaited = -1;
        sc_core::sc_event wake;
    };
    std::array<Waiter, 4> m_waiters;  // indexed by isa::Queue
    LayerDoneCallback m_layer_done;
};

}  // namespace npu

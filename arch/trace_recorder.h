#pragma once
// Busy intervals of the hardware blocks, for the timeline trace (Chrome trace / Perfetto).
#include <cstdint>
#include <vector>

#include "arch/isa.h"

namespace npu {

struct TraceEvent {
    isa::Queue unit;
    int32_t layer;
    int32_t instruction;
    double start_ns;
    double end_ns;
};

class TraceRecorder {
public:
    void record(const TraceEvent& e) { m_events.push_back(e); }
    const std::vector<TraceEvent>& events() const { return m_events; }
    void clear() { m_events.clear(); }

private:
    std::vector<TraceEvent> m_events;
};

}  // namespace npu

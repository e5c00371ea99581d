#include "sim/compiler/hazard_tracker.h"

#include <algorithm>

namespace npu {

void HazardTracker::access(int64_t lo, int64_t hi, bool write, int32_t instruction, int queue,
                           std::vector<int32_t>& deps) {
    for (const Access& a : m_accesses)
        if (a.lo < hi && lo < a.hi && (write || a.write) && a.instruction != instruction) deps.push_back(a.instruction);
    const auto covered = [&](const Access& a) {
        return a.lo >= lo && a.hi <= hi && (write || (!a.write && a.queue == queue));
    };
    m_accesses.erase(std::remove_if(m_accesses.begin(), m_accesses.end(), covered), m_accesses.end());
    m_accesses.push_back(Access{lo, hi, instruction, int8_t(queue), write});
}

}  // namespace npu

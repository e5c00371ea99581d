#include "sim/compiler/hazard_tracker.h"

#include <algorithm>

namespace npu {

void HazardTracker::access(int64_t lo, int64_t hi, bool write, int32_t instruction, std::vector<int32_t>& deps) {
    for (const Access& a : m_accesses)
        if (a.lo < hi && lo < a.hi && (write || a.write) && a.instruction != instruction) deps.push_back(a.instruction);
    if (write)
        m_accesses.erase(std::remove_if(m_accesses.begin(), m_accesses.end(),
                                        [&](const Access& a) { return a.lo >= lo && a.hi <= hi; }),
                         m_accesses.end());
    m_accesses.push_back(Access{lo, hi, instruction, write});
}

}  // namespace npu

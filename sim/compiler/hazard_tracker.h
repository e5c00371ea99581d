#pragma once
// Finds the dependencies of a new access to an on-chip buffer: a write waits for every earlier
// overlapping read or write (WAR, WAW), a read for every earlier overlapping write (RAW).
// Accesses fully covered by a later write are forgotten: ordering through that write already
// implies them. So are reads covered by a later read from the same queue: instructions of one
// queue complete in order, so a write that waits for the later read has waited for the earlier
// one too (the weights a stationary tile's GEMMs read again and again stay one entry, and the
// load that replaces them one dependency, however large the batch).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace npu {

class HazardTracker {
public:
    // Adds the instructions [lo, hi) conflicts with to `deps`, then records the access by
    // `instruction` of queue `queue` (any small integer naming it).
    void access(int64_t lo, int64_t hi, bool write, int32_t instruction, int queue, std::vector<int32_t>& deps);
    size_t live_accesses() const { return m_accesses.size(); }

private:
    struct Access {
        int64_t lo, hi;
        int32_t instruction;
        int8_t queue;
        bool write;
    };
    std::vector<Access> m_accesses;
};

}  // namespace npu

#pragma once
// Addresses in the NPU's DRAM. The Simulation owns one, so tensors placed by one compiled
// program stay where they are while later programs are placed after them (training keeps its
// weights, master weights and optimizer state in DRAM across steps). A bump allocator: regions
// are 64-byte aligned and never reused until everything is released.
#include <cstdint>

namespace npu {

constexpr uint64_t kDramAlignment = 64;

class DramAllocator {
public:
    // `bytes` at the next free aligned address.
    uint64_t allocate(uint64_t bytes) {
        const uint64_t address = m_next;
        m_next = align(m_next + bytes);
        return address;
    }
    // One past the last byte in use, aligned: where the next tensor goes.
    uint64_t end() const { return m_next; }
    // Forgets every region placed after the kept ones.
    void release() { m_next = m_kept; }
    // Everything placed so far survives release() (a training driver's resident tensors).
    void keep() { m_kept = m_next; }

    static uint64_t align(uint64_t v) { return (v + kDramAlignment - 1) / kDramAlignment * kDramAlignment; }

private:
    uint64_t m_next = 0, m_kept = 0;
};

}  // namespace npu

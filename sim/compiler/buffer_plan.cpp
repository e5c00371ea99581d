#include "sim/compiler/buffer_plan.h"

#include <stdexcept>

namespace npu {

isa::Buffer home_of(const NpuConfig& c, Operand operand) {
    switch (operand) {
        case Operand::Ifmap: return c.ifmap.present() ? isa::Buffer::Ifmap : isa::Buffer::Unified;
        case Operand::Weight: return c.weight.present() ? isa::Buffer::Weight : isa::Buffer::Unified;
        case Operand::Output: return c.output.present() ? isa::Buffer::Output : isa::Buffer::Unified;
    }
    return isa::Buffer::Unified;
}

int64_t buffer_capacity(const NpuConfig& c, isa::Buffer b) {
    switch (b) {
        case isa::Buffer::Unified: return c.unified.size_bytes;
        case isa::Buffer::Ifmap: return c.ifmap.size_bytes;
        case isa::Buffer::Weight: return c.weight.size_bytes;
        case isa::Buffer::Output: return c.output.size_bytes;
        case isa::Buffer::Accumulator: return c.accumulator.size_bytes / 4;
    }
    return 0;
}

NpuConfig with_reserved(const NpuConfig& c, isa::Buffer b, int64_t bytes) {
    NpuConfig tiles = c;
    if (bytes == 0) return tiles;
    BufferConfig* buffer = b == isa::Buffer::Unified  ? &tiles.unified
                           : b == isa::Buffer::Ifmap  ? &tiles.ifmap
                           : b == isa::Buffer::Weight ? &tiles.weight
                                                      : &tiles.output;
    if (bytes >= buffer->size_bytes) throw std::logic_error("with_reserved: the resident tensors fill the buffer");
    buffer->size_bytes -= bytes;
    return tiles;
}

bool fits(const NpuConfig& c, const OperandNeeds& needs) {
    int64_t used[5] = {0, 0, 0, 0, 0};
    for (int o = 0; o < 3; ++o)
        used[size_t(home_of(c, Operand(o)))] += needs.slot_bytes[size_t(o)] * needs.slots[size_t(o)];
    for (int b = 0; b < 4; ++b)
        if (used[b] > buffer_capacity(c, isa::Buffer(b))) return false;
    return true;
}

BufferPlan::BufferPlan(const NpuConfig& c, const OperandNeeds& needs) : m_needs(needs) {
    if (!fits(c, needs)) throw std::logic_error("BufferPlan: operands do not fit");
    int64_t next[5] = {0, 0, 0, 0, 0};
    for (int o = 0; o < 3; ++o) {
        m_buffer[size_t(o)] = home_of(c, Operand(o));
        int64_t& cursor = next[size_t(m_buffer[size_t(o)])];
        m_base[size_t(o)] = cursor;
        cursor += needs.slot_bytes[size_t(o)] * needs.slots[size_t(o)];
    }
}

isa::Region BufferPlan::slot(Operand operand, int64_t index, int64_t bytes) const {
    const size_t o = size_t(operand);
    if (bytes > m_needs.slot_bytes[o]) throw std::logic_error("BufferPlan: tile larger than its slot");
    const int64_t s = index % m_needs.slots[o];
    return isa::Region{m_buffer[o], m_base[o] + s * m_needs.slot_bytes[o], bytes};
}

isa::Region accumulator_slot(const NpuConfig& c, int64_t index, int64_t entries) {
    const int64_t half = c.accumulator.size_bytes / 4 / 2;
    if (entries > half) throw std::logic_error("accumulator tile larger than half the accumulator");
    return isa::Region{isa::Buffer::Accumulator, (index % 2) * half, entries};
}

}  // namespace npu

#pragma once
// How a layer's operands share the on-chip buffers. Each operand class (input tiles, weight
// tiles, output tiles with their channel parameters) lives in its dedicated buffer when the
// design has one, else in the unified buffer; within a buffer each class gets `slots` equal
// slots (2 for double buffering: one is filled while the other is used).
#include <array>
#include <cstdint>

#include "arch/isa.h"
#include "arch/npu_config.h"

namespace npu {

enum class Operand { Ifmap = 0, Weight = 1, Output = 2 };

struct OperandNeeds {
    std::array<int64_t, 3> slot_bytes{0, 0, 0};  // per Operand
    std::array<int, 3> slots{2, 2, 2};
};

isa::Buffer home_of(const NpuConfig& config, Operand operand);
// Bytes of a buffer (the accumulator: entries).
int64_t buffer_capacity(const NpuConfig& config, isa::Buffer buffer);
bool fits(const NpuConfig& config, const OperandNeeds& needs);
// The design as a layer's tiles see it: `buffer` less its top `bytes` (resident tensors).
NpuConfig with_reserved(const NpuConfig& config, isa::Buffer buffer, int64_t bytes);

class BufferPlan {
public:
    BufferPlan(const NpuConfig& config, const OperandNeeds& needs);
    // Slot `index` of an operand class (index modulo its slot count), `bytes` long.
    isa::Region slot(Operand operand, int64_t index, int64_t bytes) const;

private:
    std::array<isa::Buffer, 3> m_buffer;
    std::array<int64_t, 3> m_base{0, 0, 0};
    OperandNeeds m_needs;
};

// Two halves of the accumulator (double buffered: the array fills one while the vector unit
// drains the other).
isa::Region accumulator_slot(const NpuConfig& config, int64_t index, int64_t entries);

}  // namespace npu

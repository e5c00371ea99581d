#pragma once
// The on-chip buffers a design has, addressed by the ISA's buffer ids.
#include <fmt/format.h>

#include <stdexcept>

#include "arch/accumulator.h"
#include "arch/isa.h"
#include "arch/scratchpad.h"

namespace npu {

struct BufferSet {
    Scratchpad* unified = nullptr;
    Scratchpad* ifmap = nullptr;
    Scratchpad* weight = nullptr;
    Scratchpad* output = nullptr;
    Accumulator* accumulator = nullptr;

    Scratchpad& at(isa::Buffer id) const {
        Scratchpad* b = nullptr;
        switch (id) {
            case isa::Buffer::Unified: b = unified; break;
            case isa::Buffer::Ifmap: b = ifmap; break;
            case isa::Buffer::Weight: b = weight; break;
            case isa::Buffer::Output: b = output; break;
            case isa::Buffer::Accumulator: break;
        }
        if (!b) throw std::logic_error(fmt::format("program uses buffer '{}' the design lacks", isa::buffer_name(id)));
        return *b;
    }
};

}  // namespace npu

#pragma once
// The op registry's tables (OpDef, CpuOp, Lowering, TrainOp) are arrays indexed by LayerKind:
// one check that every entry sits at its kind's index and is complete.
#include <array>
#include <stdexcept>
#include <string>

#include "workloads/ir/layer.h"

namespace npu {

// Throws std::logic_error naming `table` and the entry: an entry out of place or incomplete is
// a programming error, caught by the first use of the table (and by op_registry_test).
template <class Entry, size_t N, class Complete>
const std::array<Entry, N>& require_kind_order(const std::array<Entry, N>& table, const char* name, Complete complete) {
    static_assert(N == size_t(kLayerKindCount), "one entry per LayerKind");
    for (size_t k = 0; k < N; ++k)
        if (int(table[k].kind) != int(k) || !complete(table[k]))
            throw std::logic_error(std::string(name) + ": entry " + std::to_string(k) + " (" + kind_name(LayerKind(k)) +
                                   ") is out of place or incomplete");
    return table;
}

}  // namespace npu

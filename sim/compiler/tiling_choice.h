#pragma once
// The tile search's choice rule and its explanation (sim/compiler/conv_tiler.h builds the
// candidates and their estimates).
#include <cstddef>
#include <vector>

#include "sim/compiler/conv_tiler.h"

namespace npu {

struct TilingCandidate {
    ConvTiling tiling;
    size_t largest = 0;  // index of its slice's largest box among the candidates
};

// Among the tilings estimated within `slack` of the fastest (MemoryPolicy::tiling_slack), the
// one with the smallest cycles / fastest's cycles + DRAM bytes / fastest's DRAM bytes, then
// the fewest cycles; the runner-up is the next in the same order (the rest ranked by cycles,
// then DRAM bytes); earlier candidates win exact ties.
// `fitting` is the number of candidates; an empty list gives fitting 0 and nothing chosen.
TilingChoice choose_tiling(const std::vector<TilingCandidate>& all, double slack);

}  // namespace npu

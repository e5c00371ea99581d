#include "sim/compiler/tiling_choice.h"

#include <fmt/format.h>

#include <algorithm>

namespace npu {
namespace {

// The selection order: tilings within the slack of the fastest first, by their cycles and DRAM
// bytes each relative to the fastest's, summed (a percent of cycles buys at least a percent of
// DRAM bytes), then by cycles; the rest after them by cycles, then DRAM bytes.
struct Ranking {
    int64_t fast_enough_cycles;
    double fastest_cycles, fastest_dram_bytes;
    bool fast_enough(const ConvTiling& t) const { return t.estimated_cycles <= fast_enough_cycles; }
    double cost(const ConvTiling& t) const {
        return double(t.estimated_cycles) / fastest_cycles + double(t.dram_bytes) / fastest_dram_bytes;
    }
    bool operator()(const TilingCandidate& ca, const TilingCandidate& cb) const {
        const ConvTiling &a = ca.tiling, &b = cb.tiling;
        if (fast_enough(a) != fast_enough(b)) return fast_enough(a);
        if (fast_enough(a) && cost(a) != cost(b)) return cost(a) < cost(b);
        if (a.estimated_cycles != b.estimated_cycles) return a.estimated_cycles < b.estimated_cycles;
        return a.dram_bytes < b.dram_bytes;
    }
};

std::string percent_cycles(int64_t cycles, int64_t base) {
    return fmt::format("{:+.2f}% cycles", 100.0 * double(cycles - base) / double(std::max<int64_t>(1, base)));
}

// What the next best tiling would have cost, against the chosen one.
std::string runner_up_reason(const ConvTiling& t, const ConvTiling& r) {
    if (r.estimated_cycles < t.estimated_cycles)  // faster, but within the slack and more DRAM bytes
        return fmt::format("; {} {} ({}-bound) but {} more DRAM bytes", r.shape(),
                           percent_cycles(r.estimated_cycles, t.estimated_cycles), r.bound,
                           r.dram_bytes - t.dram_bytes);
    if (r.estimated_cycles > t.estimated_cycles && r.dram_bytes <= t.dram_bytes)
        return fmt::format("; next best {} {} ({}-bound)", r.shape(),
                           percent_cycles(r.estimated_cycles, t.estimated_cycles), r.bound);
    if (r.estimated_cycles > t.estimated_cycles)
        return fmt::format("; next best {} {} ({}-bound), {} more DRAM bytes", r.shape(),
                           percent_cycles(r.estimated_cycles, t.estimated_cycles), r.bound,
                           r.dram_bytes - t.dram_bytes);
    if (r.dram_bytes > t.dram_bytes)
        return fmt::format("; ties on cycles with {}, {} fewer DRAM bytes", r.shape(), r.dram_bytes - t.dram_bytes);
    return fmt::format("; ties with {} on cycles and DRAM bytes (the first in search order wins)", r.shape());
}

}  // namespace

TilingChoice choose_tiling(const std::vector<TilingCandidate>& all, double slack) {
    TilingChoice choice;
    choice.fitting = int64_t(all.size());
    if (all.empty()) return choice;
    const ConvTiling* fastest = &all.front().tiling;  // ties: fewer DRAM bytes
    for (const TilingCandidate& c : all)
        if (c.tiling.estimated_cycles < fastest->estimated_cycles ||
            (c.tiling.estimated_cycles == fastest->estimated_cycles && c.tiling.dram_bytes < fastest->dram_bytes))
            fastest = &c.tiling;
    const int64_t fastest_cycles = fastest->estimated_cycles;
    const Ranking rank{fastest_cycles + int64_t(slack * double(fastest_cycles)),
                       double(std::max<int64_t>(1, fastest_cycles)), double(std::max<int64_t>(1, fastest->dram_bytes))};
    // First and second in the order, earlier candidates winning ties (stable search order).
    size_t first = 0, second = all.size();
    for (size_t i = 1; i < all.size(); ++i)
        if (rank(all[i], all[first])) {
            second = first;
            first = i;
        } else if (second == all.size() || rank(all[i], all[second])) {
            second = i;
        }
    choice.chosen = all[first].tiling;
    choice.largest = all[all[first].largest].tiling;
    choice.fastest_cycles = fastest_cycles;
    choice.fastest_dram_bytes = fastest->dram_bytes;
    choice.has_runner_up = second < all.size();
    if (choice.has_runner_up) choice.runner_up = all[second].tiling;
    return choice;
}

std::string ConvTiling::shape() const {
    return fmt::format("g{} c{} f{} box {}x{}x{}", groups, channels, filters, batch, rows, cols);
}

std::string TilingChoice::reason() const {
    const ConvTiling& t = chosen;
    std::string why = fmt::format("{}-bound", t.bound);
    if (t.box_halvings > 0)  // a smaller box won: its first load and last store are shorter
        why += fmt::format("; box halved {}x from {}x{}x{} (that box: {}, {} exposed load/store cycles vs {})",
                           t.box_halvings, largest.batch, largest.rows, largest.cols,
                           percent_cycles(largest.estimated_cycles, t.estimated_cycles), largest.exposed_cycles,
                           t.exposed_cycles);
    why += has_runner_up ? runner_up_reason(t, runner_up) : "; the only tiling that fits";
    if (t.other_order_dram_bytes != t.dram_bytes)
        why += fmt::format("; {} saves {} DRAM bytes of reloads", t.order(), t.other_order_dram_bytes - t.dram_bytes);
    else if (t.other_order_onchip_bytes != t.onchip_bytes)
        why += fmt::format("; {} saves {} on-chip bytes", t.order(), t.other_order_onchip_bytes - t.onchip_bytes);
    return why;
}

}  // namespace npu

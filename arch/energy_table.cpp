#include "arch/energy_table.h"

#include <cmath>

namespace npu {

double EnergyTable::sram_pj_per_64b_at(double bank_kib) const {
    const auto& p = sram_pj_per_64b;
    if (p.empty()) return 0.0;
    if (p.size() == 1) return p[0].second * scale_to_design;
    // Find the segment (extrapolating with the first or last slope), interpolate in log-log.
    size_t i = 0;
    while (i + 2 < p.size() && bank_kib > p[i + 1].first) ++i;
    const double x0 = std::log(p[i].first), x1 = std::log(p[i + 1].first);
    const double y0 = std::log(p[i].second), y1 = std::log(p[i + 1].second);
    const double x = std::log(bank_kib > 0.0 ? bank_kib : 1e-3);
    return std::exp(y0 + (y1 - y0) * (x - x0) / (x1 - x0)) * scale_to_design;
}

}  // namespace npu

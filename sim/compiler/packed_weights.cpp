#include "sim/compiler/packed_weights.h"

#include <stdexcept>

namespace npu {

NmPattern mapped_nm(const NpuConfig& c, const ConvGeometry& g, int64_t e) {
    const NmPattern nm = g.weight_nm;
    if (c.sparsity != ArraySparsity::NM || !nm.present()) return {};
    if (int64_t(nm.n) * (8 * e + nm.index_bits()) >= 8 * e * nm.m) return {};
    return nm;
}

int64_t packed_bits(NmPattern nm, int64_t kept, int64_t e) { return kept * (8 * e + nm.index_bits()); }

isa::DramBox packed_weight_box(const ConvGeometry& g, NmPattern nm, int64_t e, uint64_t base, int64_t filter0,
                               int64_t filters, int64_t k0, int64_t k) {
    if (k0 % nm.m != 0) throw std::logic_error("packed_weight_box: a K range starts inside an N:M group");
    const int64_t row_bytes = (packed_bits(nm, nm.kept_rows(g.k_per_group()), e) + 7) / 8;
    const int64_t begin = packed_bits(nm, nm.kept_rows(k0), e) / 8;
    const int64_t end = (packed_bits(nm, nm.kept_rows(k0 + k), e) + 7) / 8;
    isa::DramBox box;
    box.base = base;
    box.element_bytes = 1;
    box.dims = {g.output.c, 1, 1, row_bytes};
    box.start = {filter0, 0, 0, begin};
    box.extent = {filters, 1, 1, end - begin};
    return box;
}

}  // namespace npu

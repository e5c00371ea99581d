#pragma once
// N:M-pruned weights on an nm array (arch/npu_config.h): how they are stored in DRAM and which
// layers store them so. Each filter's row holds its kept values in K order, each followed by its
// ceil(log2 m)-bit index into its group, as one bit stream: kept value i starts at bit
// i * (8e + index bits). A tile's K range starts at a multiple of m (the tiler cuts K there), so
// its kept values are one contiguous byte span of every filter's row.
#include <cstdint>

#include "arch/isa.h"
#include "arch/npu_config.h"
#include "kernels/model/conv_geometry.h"

namespace npu {

// The layer's pattern when the array maps it compressed: an nm array, N:M weights, and a packed
// form smaller than the dense one (n (8e + bits) < 8e m); else none.
NmPattern mapped_nm(const NpuConfig& config, const ConvGeometry& g, int64_t element_bytes);

// Bits of `kept` packed values with their metadata.
int64_t packed_bits(NmPattern nm, int64_t kept, int64_t element_bytes);

// The packed DRAM box of filters [filter0, filter0 + filters) and K rows [k0, k0 + k) of each
// (k0 a multiple of m), for weights stored from `base`.
isa::DramBox packed_weight_box(const ConvGeometry& g, NmPattern nm, int64_t element_bytes, uint64_t base,
                               int64_t filter0, int64_t filters, int64_t k0, int64_t k);

}  // namespace npu

#pragma once
// Silicon area of a design, first order: processing elements (the widest MAC the design
// supports), every SRAM by capacity, the vector unit's lanes, and a fixed overhead fraction,
// scaled to the design's node. Sources in configs/energy/*.yaml (area section).
#include <cstdint>

namespace npu {

struct AreaTable {
    double pe_int8_um2 = 0.0, pe_fp16_um2 = 0.0, pe_bf16_um2 = 0.0, pe_fp32_um2 = 0.0;
    double vector_lane_um2 = 0.0;
    double sram_um2_per_kib = 0.0;
    double overhead_fraction = 0.0;
    double scale_to_design = 1.0;  // node scaling relative to 45 nm
};

struct AreaBreakdown {
    double pe_mm2 = 0.0;
    double sram_mm2 = 0.0;
    double vector_mm2 = 0.0;
    double overhead_mm2 = 0.0;
    double total_mm2() const { return pe_mm2 + sram_mm2 + vector_mm2 + overhead_mm2; }
};

struct NpuConfig;
AreaBreakdown area_of(const NpuConfig& config);

}  // namespace npu

#include "arch/area_model.h"

#include <algorithm>

#include "arch/npu_config.h"

namespace npu {

AreaBreakdown area_of(const NpuConfig& c) {
    const AreaTable& t = c.area;
    double pe_um2 = 0.0;
    for (Precision p : c.precisions)
        pe_um2 = std::max(pe_um2, p == Precision::Int8   ? t.pe_int8_um2
                                  : p == Precision::Fp16 ? t.pe_fp16_um2
                                  : p == Precision::Bf16 ? t.pe_bf16_um2
                                                         : t.pe_fp32_um2);
    double kib = 0.0;
    for (const BufferConfig* b : {&c.unified, &c.ifmap, &c.weight, &c.output, &c.accumulator})
        kib += double(b->size_bytes) / 1024.0;
    AreaBreakdown a;
    const double to_mm2 = t.scale_to_design / 1e6;
    a.pe_mm2 = double(c.rows * c.cols) * pe_um2 * to_mm2;
    a.sram_mm2 = kib * t.sram_um2_per_kib * to_mm2;
    a.vector_mm2 = double(c.vector_lanes) * t.vector_lane_um2 * to_mm2;
    a.overhead_mm2 = (a.pe_mm2 + a.sram_mm2 + a.vector_mm2) * t.overhead_fraction;
    return a;
}

}  // namespace npu

#pragma once
// Walking a DRAM box as contiguous byte runs: what a DMA engine issues as bursts.
#include <cstdint>

#include "arch/isa.h"

namespace npu {

// Calls visit(dram_address, sram_offset_in_box, bytes) for each maximal contiguous run, in
// row-major order. Dimensions fully covered by the box merge into longer runs.
template <class Visit>
void for_each_run(const isa::DramBox& box, Visit visit) {
    // The longest suffix of dimensions that is contiguous in DRAM.
    int64_t run_elements = box.extent[3];
    int inner = 3;
    while (inner > 0 && box.extent[size_t(inner)] == box.dims[size_t(inner)]) {
        --inner;
        run_elements *= box.extent[size_t(inner)];
    }
    const int64_t run_bytes = run_elements * box.element_bytes;
    const int64_t stride2 = box.dims[3], stride1 = box.dims[2] * stride2, stride0 = box.dims[1] * stride1;
    const int64_t strides[4] = {stride0, stride1, stride2, 1};
    // Outer index space: dimensions before `inner` iterate; `inner` itself is inside the run.
    int64_t outer_extent[4] = {1, 1, 1, 1};
    for (int d = 0; d < inner; ++d) outer_extent[d] = box.extent[size_t(d)];
    int64_t offset = 0;
    for (int64_t a = 0; a < outer_extent[0]; ++a)
        for (int64_t b = 0; b < outer_extent[1]; ++b)
            for (int64_t c = 0; c < outer_extent[2]; ++c) {
                const int64_t index[4] = {box.start[0] + a, box.start[1] + b, box.start[2] + c, box.start[3]};
                int64_t element = 0;
                for (int d = 0; d < 4; ++d) element += (d < inner ? index[d] : box.start[size_t(d)]) * strides[d];
                visit(box.base + uint64_t(element * box.element_bytes), offset, run_bytes);
                offset += run_bytes;
            }
}

}  // namespace npu

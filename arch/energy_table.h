#pragma once
// Per-operation energies of one technology, as loaded from configs/energy/*.yaml and scaled to
// a design's node. Sources are cited in the YAML files (docs/REFERENCE.md section 1).
#include <string>
#include <utility>
#include <vector>

#include "kernels/numerics/precision.h"

namespace npu {

struct EnergyTable {
    std::string name;
    double node_nm = 45.0;         // node the logic and SRAM numbers were given for
    double scale_to_design = 1.0;  // factor applied to logic and SRAM at the design's node

    double mac_int8_pj = 0.0;  // one PE multiply-accumulate, arithmetic only
    double mac_fp16_pj = 0.0;
    double mac_bf16_pj = 0.0;
    double mac_fp32_pj = 0.0;
    double pe_register_ratio = 0.0;  // register traffic per MAC, as a multiple of the MAC
    // SRAM read or write of 64 bits, by macro (bank) size in KiB: log-log interpolation.
    std::vector<std::pair<double, double>> sram_pj_per_64b;
    double vector_int8_op_pj = 0.0;  // one element of requantize / pool / add
    double vector_fp16_op_pj = 0.0;
    double leakage_uw_per_pe = 0.0;
    double leakage_uw_per_kib = 0.0;

    // Energy of one 64-bit access to a macro of `bank_kib`, at the design's node.
    double sram_pj_per_64b_at(double bank_kib) const;
    double pe_mac_pj(Precision p) const {
        const double mac = p == Precision::Int8   ? mac_int8_pj
                           : p == Precision::Fp16 ? mac_fp16_pj
                           : p == Precision::Bf16 ? mac_bf16_pj
                                                  : mac_fp32_pj;
        return mac * (1.0 + pe_register_ratio) * scale_to_design;
    }
    // Vector work is FP32 arithmetic for every float precision.
    double vector_op_pj(Precision p) const {
        return (p == Precision::Int8 ? vector_int8_op_pj : vector_fp16_op_pj) * scale_to_design;
    }
};

}  // namespace npu

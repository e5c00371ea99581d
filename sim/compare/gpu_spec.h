#pragma once
// A GPU's datasheet figures (configs/gpu/*.yaml): dense peaks per precision, memory bandwidth
// and TDP, for the percentages of peak and the rooflines of `npusim compare`.
#include <map>
#include <string>

#include "kernels/numerics/precision.h"

namespace npu {

struct GpuSpec {
    std::string name, description, source;
    std::map<Precision, double> peak_tflops;  // dense; INT8 in TOPS
    double memory_gbps = 0.0;
    double tdp_w = 0.0;

    // Throws ConfigError naming the file when the precision has no peak.
    double peak_ops_per_s(Precision p) const;
};

// Throws ConfigError naming the file, the line and the key.
GpuSpec load_gpu_spec(const std::string& path);

}  // namespace npu

#pragma once
// One conv2d or fc layer measured on the GPU by one of the backends (gpu_conv.h): seeded
// operands, a calibration call, then a loop of at least `min_ms` between CUDA events with
// NVML's energy counter read around the same loop (and the board's idle power, measured once
// while the GPU rests, subtracted for the work's own energy), and the output checked against the CPU reference (INT8
// bit-exact, FP16 and FP32 within the check rule). An fc layer is a 1x1 convolution of a 1x1
// image with `features` channels.
#include <string>

#include "kernels/cuda/direct_conv.h"
#include "kernels/cuda/gpu_conv.h"
#include "kernels/cuda/nvml_energy.h"
#include "kernels/numerics/precision.h"

namespace npu {

struct ConvMeasurement {
    int calls = 0;
    double ms_per_call = 0.0;
    double energy_uj_per_call = -1.0;  // < 0: no NVML
    double avg_w = -1.0;
    double idle_w = -1.0;                     // the board at rest (NvmlEnergy::idle_w); < 0: no NVML
    double active_energy_uj_per_call = -1.0;  // energy beyond idle_w over the loop; < 0: no NVML
    bool check_passed = false;
    std::string check;  // what the check found, in words
};

// Throws GpuError on a CUDA failure.
ConvMeasurement measure_conv(ConvKernel kernel, const DirectConvShape& shape, Precision p, double min_ms,
                             const NvmlEnergy& nvml);

}  // namespace npu

#pragma once
// The GPU's board energy from NVML's total-energy counter (millijoules since the driver loaded;
// it updates about every 100 ms, so a measured loop should last a second or more). NVML is loaded
// with dlopen at run time, never linked: the build needs no nvml.h and a machine without the
// driver just reports why.
#include <string>

namespace npu {

class NvmlEnergy {
public:
    NvmlEnergy();  // loads libnvidia-ml.so.1 and opens device 0; never throws
    ~NvmlEnergy();
    NvmlEnergy(const NvmlEnergy&) = delete;
    NvmlEnergy& operator=(const NvmlEnergy&) = delete;

    bool available() const { return m_device != nullptr; }
    const std::string& reason() const { return m_reason; }  // why not available
    // The counter in millijoules; < 0 when it cannot be read.
    double total_mj() const;
    // Board power now, in watts; < 0 when it cannot be read.
    double power_w() const;
    // The board's power at rest: the mean of 10 readings 50 ms apart, taken at the first call
    // (the caller makes sure the GPU is idle then) and kept; < 0 without NVML. What a measured
    // loop's energy holds beyond it is the work's own (ConvMeasurement::active_energy_uj_per_call).
    double idle_w() const;
    // The board's power limit in watts (< 0 when unknown) and the driver's version ("" when unknown).
    double power_limit_w() const;
    std::string driver_version() const;

private:
    void* m_library = nullptr;
    void* m_device = nullptr;
    std::string m_reason;
    mutable double m_idle_w = -2.0;  // -2: not measured yet
};

}  // namespace npu

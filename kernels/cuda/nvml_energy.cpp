#include "kernels/cuda/nvml_energy.h"

#include <dlfcn.h>

#include <chrono>
#include <thread>

namespace npu {
namespace {

// The few NVML entry points used, as the NVML API declares them (nvml.h is not shipped here).
using NvmlReturn = int;  // NVML_SUCCESS = 0
using InitFn = NvmlReturn (*)();
using HandleFn = NvmlReturn (*)(unsigned int, void**);
using EnergyFn = NvmlReturn (*)(void*, unsigned long long*);
using PowerFn = NvmlReturn (*)(void*, unsigned int*);
using VersionFn = NvmlReturn (*)(char*, unsigned int);

template <class Fn>
Fn symbol(void* library, const char* name) {
    return library ? reinterpret_cast<Fn>(dlsym(library, name)) : nullptr;
}

}  // namespace

NvmlEnergy::NvmlEnergy() {
    m_library = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!m_library) {
        m_reason = "no NVML (libnvidia-ml.so.1 not found: no NVIDIA driver)";
        return;
    }
    const auto init = symbol<InitFn>(m_library, "nvmlInit_v2");
    const auto handle = symbol<HandleFn>(m_library, "nvmlDeviceGetHandleByIndex_v2");
    if (!init || !handle || init() != 0) {
        m_reason = "NVML did not initialize";
        return;
    }
    void* device = nullptr;
    if (handle(0, &device) != 0 || !device) {
        m_reason = "NVML has no device 0";
        return;
    }
    m_device = device;
}

NvmlEnergy::~NvmlEnergy() {
    if (const auto shutdown = symbol<InitFn>(m_library, "nvmlShutdown"); shutdown && m_device) shutdown();
    if (m_library) dlclose(m_library);
}

double NvmlEnergy::total_mj() const {
    const auto energy = symbol<EnergyFn>(m_library, "nvmlDeviceGetTotalEnergyConsumption");
    unsigned long long mj = 0;
    if (!m_device || !energy || energy(m_device, &mj) != 0) return -1.0;
    return double(mj);
}

double NvmlEnergy::power_w() const {
    const auto power = symbol<PowerFn>(m_library, "nvmlDeviceGetPowerUsage");
    unsigned int milliwatts = 0;
    if (!m_device || !power || power(m_device, &milliwatts) != 0) return -1.0;
    return double(milliwatts) / 1000.0;
}

double NvmlEnergy::power_limit_w() const {
    const auto limit = symbol<PowerFn>(m_library, "nvmlDeviceGetPowerManagementLimit");
    unsigned int milliwatts = 0;
    if (!m_device || !limit || limit(m_device, &milliwatts) != 0) return -1.0;
    return double(milliwatts) / 1000.0;
}

std::string NvmlEnergy::driver_version() const {
    const auto version = symbol<VersionFn>(m_library, "nvmlSystemGetDriverVersion");
    char text[96] = {};
    if (!m_device || !version || version(text, sizeof text) != 0) return "";
    return text;
}

double NvmlEnergy::idle_w() const {
    if (m_idle_w > -2.0) return m_idle_w;
    double sum = 0.0;
    int readings = 0;
    for (int k = 0; k < 10; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        const double w = power_w();
        if (w >= 0) sum += w, ++readings;
    }
    m_idle_w = readings ? sum / readings : -1.0;
    return m_idle_w;
}

}  // namespace npu

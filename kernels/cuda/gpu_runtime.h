#pragma once
// The GPU as the host sees it, with no CUDA header in sight (callers are plain C++): whether a
// usable GPU is here and which, device buffers, and CUDA errors as exceptions naming the call.
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>

#include "common/error.h"

namespace npu {

// A CUDA, cuDNN or cuBLASLt failure, a missing library, or something the GPU does not run: an
// npusim error (one line and exit 1 from the CLI), not an internal one.
class GpuError : public Error {
public:
    using Error::Error;
};

struct GpuInfo {
    bool available = false;
    std::string reason;  // why not, when not available ("no CUDA driver", "no device")
    std::string name;
    int compute_major = 0, compute_minor = 0;
    int sm_count = 0;
    double memory_gib = 0.0;
    int sm_clock_mhz = 0, memory_clock_mhz = 0;  // peak
    std::string cuda_runtime, cuda_driver;       // versions, "13.0"
};

// Never throws: a machine without a driver or a device reports why.
GpuInfo query_gpu();

// How a GPU operation is timed (gpu_launch.cuh): `timed_calls` calls between two CUDA events
// after one warm-up call.
struct GpuTiming {
    int timed_calls = 1;  // launches between the two events; 0: one call, neither warmed up nor timed
    double ms_per_call = 0.0;
    // Called just before the timed loop starts and just after it has finished (energy readings).
    std::function<void()> on_start, on_stop;
};

// Device memory for `bytes`, freed with the object.
class DeviceBuffer {
public:
    explicit DeviceBuffer(size_t bytes);
    ~DeviceBuffer();
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    DeviceBuffer(DeviceBuffer&& other) noexcept : m_ptr(other.m_ptr) { other.m_ptr = nullptr; }

    void upload(const void* host, size_t bytes);
    void download(void* host, size_t bytes) const;
    void* get() const { return m_ptr; }
    template <class T>
    T* as() const {
        return static_cast<T*>(m_ptr);
    }

private:
    void* m_ptr = nullptr;
};

}  // namespace npu

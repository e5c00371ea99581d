#include <cuda_runtime.h>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/gpu_runtime.h"

namespace npu {

GpuInfo query_gpu() {
    GpuInfo info;
    int count = 0;
    const cudaError_t e = cudaGetDeviceCount(&count);
    if (e != cudaSuccess) {
        info.reason = std::string("no usable CUDA driver or device: ") + cudaGetErrorString(e);
        return info;
    }
    if (count == 0) {
        info.reason = "no CUDA device";
        return info;
    }
    cudaDeviceProp p{};
    if (cudaGetDeviceProperties(&p, 0) != cudaSuccess) {
        info.reason = "cudaGetDeviceProperties failed";
        return info;
    }
    info.available = true;
    info.name = p.name;
    info.compute_major = p.major, info.compute_minor = p.minor;
    info.sm_count = p.multiProcessorCount;
    info.memory_gib = double(p.totalGlobalMem) / double(1ull << 30);
    int khz = 0, version = 0;
    if (cudaDeviceGetAttribute(&khz, cudaDevAttrClockRate, 0) == cudaSuccess) info.sm_clock_mhz = khz / 1000;
    if (cudaDeviceGetAttribute(&khz, cudaDevAttrMemoryClockRate, 0) == cudaSuccess) info.memory_clock_mhz = khz / 1000;
    const auto text = [](int v) { return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10); };
    if (cudaRuntimeGetVersion(&version) == cudaSuccess) info.cuda_runtime = text(version);
    if (cudaDriverGetVersion(&version) == cudaSuccess) info.cuda_driver = text(version);
    return info;
}

DeviceBuffer::DeviceBuffer(size_t bytes) { cuda_check(cudaMalloc(&m_ptr, bytes ? bytes : 1), "cudaMalloc"); }

DeviceBuffer::~DeviceBuffer() { cudaFree(m_ptr); }

void DeviceBuffer::upload(const void* host, size_t bytes) {
    cuda_check(cudaMemcpy(m_ptr, host, bytes, cudaMemcpyHostToDevice), "cudaMemcpy to the device");
}

void DeviceBuffer::download(void* host, size_t bytes) const {
    cuda_check(cudaMemcpy(host, m_ptr, bytes, cudaMemcpyDeviceToHost), "cudaMemcpy from the device");
}

}  // namespace npu

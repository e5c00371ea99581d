#pragma once
// What every GPU operation does around its kernels: operands to the device and back, and the
// timing rule (one warm-up call, then `timing.timed_calls` calls between two CUDA events, with
// the caller's hooks just before and after the timed loop: the energy readings), or a single
// untimed call.
#include <cuda_runtime.h>

#include <algorithm>
#include <vector>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/gpu_runtime.h"

namespace npu {

template <class T>
DeviceBuffer to_device(const std::vector<T>& v) {
    DeviceBuffer b(v.size() * sizeof(T));
    b.upload(v.data(), v.size() * sizeof(T));
    return b;
}

template <class Launch>
void timed(const Launch& launch_once, GpuTiming& timing) {
    launch_once();
    cuda_check(cudaGetLastError(), "kernel launch");
    if (timing.timed_calls == 0) {  // a computation wanted for its values only
        cuda_check(cudaDeviceSynchronize(), "the kernels");
        return;
    }
    cudaEvent_t start, stop;
    cuda_check(cudaEventCreate(&start), "cudaEventCreate");
    cuda_check(cudaEventCreate(&stop), "cudaEventCreate");
    const int calls = std::max(1, timing.timed_calls);
    cuda_check(cudaDeviceSynchronize(), "the warm-up launch");
    if (timing.on_start) timing.on_start();
    cuda_check(cudaEventRecord(start), "cudaEventRecord");
    for (int k = 0; k < calls; ++k) launch_once();
    cuda_check(cudaEventRecord(stop), "cudaEventRecord");
    cuda_check(cudaEventSynchronize(stop), "the timed calls");
    if (timing.on_stop) timing.on_stop();
    float ms = 0.0f;
    cuda_check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
    timing.ms_per_call = double(ms) / calls;
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
}

template <class T>
std::vector<T> download(const DeviceBuffer& b, int64_t count) {
    std::vector<T> out(static_cast<size_t>(count));
    b.download(out.data(), out.size() * sizeof(T));
    return out;
}

}  // namespace npu

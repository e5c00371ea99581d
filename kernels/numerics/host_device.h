#pragma once
// Functions the CUDA kernels share with the CPU side (index math, requantization, format
// conversions) are NPU_HD: __host__ __device__ under nvcc, plain inline C++ elsewhere, so one
// definition is tested on the CPU and compiled into the kernels.
#include <cstdint>
#include <cstring>

#ifdef __CUDACC__
#define NPU_HD __host__ __device__
#else
#define NPU_HD
#endif

namespace npu {

// The bits of a float and back (memcpy on the host, the intrinsics on the device).
NPU_HD inline uint32_t float_to_bits(float f) {
#ifdef __CUDA_ARCH__
    return __float_as_uint(f);
#else
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
#endif
}

NPU_HD inline float bits_to_float(uint32_t u) {
#ifdef __CUDA_ARCH__
    return __uint_as_float(u);
#else
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
#endif
}

// One rounding per operation, on both sides: nvcc would otherwise fuse a * b + c into one FMA
// (one rounding instead of two) and a kernel would differ from the host in the last bit. The
// host code is built without FMA contraction (x86-64 baseline, no -march).
NPU_HD inline double mul_rn(double a, double b) {
#ifdef __CUDA_ARCH__
    return __dmul_rn(a, b);
#else
    return a * b;
#endif
}
NPU_HD inline double add_rn(double a, double b) {
#ifdef __CUDA_ARCH__
    return __dadd_rn(a, b);
#else
    return a + b;
#endif
}
NPU_HD inline float mul_rn(float a, float b) {
#ifdef __CUDA_ARCH__
    return __fmul_rn(a, b);
#else
    return a * b;
#endif
}
NPU_HD inline float add_rn(float a, float b) {
#ifdef __CUDA_ARCH__
    return __fadd_rn(a, b);
#else
    return a + b;
#endif
}

}  // namespace npu

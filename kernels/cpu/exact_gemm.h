#pragma once
// The integer GEMM of the INT8 reference, exact, at float GEMM speed: integer products summed in
// binary32 are exact while every partial sum stays within 2^24, so the product runs as float
// GEMMs over K chunks short enough to guarantee it (1040 for int8 x int8 operands), the chunks
// adding in int32: the same sums as an int32 GEMM, in any order and with or without fused
// multiply-add. The float GEMMs are OpenBLAS's where the host has it (Debian's
// libopenblas0-serial, opened at run time; it picks its kernel for the CPU, AVX-512 included,
// where a portable build of Eigen runs SSE2), else Eigen's: the result is the same either way.
// Neither shares code with the NPU's own datapath (arch/gemm_datapath.cpp), so the check that
// compares them can disagree.
#include <cstdint>
#include <string>

namespace npu {

enum class GemmLibrary { Best, Eigen, OpenBlas };

// c = a * b with a m x k, b k x n, c m x n, all row-major; a's and b's values are integers.
// Best takes OpenBLAS when it loaded; OpenBlas without it throws std::runtime_error.
void exact_integer_gemm(const float* a, const float* b, int32_t* c, int64_t m, int64_t k, int64_t n,
                        GemmLibrary library = GemmLibrary::Best);

// Whether OpenBLAS loaded, and what runs the reference's GEMMs ("OpenBLAS 0.3.21 ... " or "Eigen").
bool openblas_available();
std::string reference_gemm_library();

}  // namespace npu

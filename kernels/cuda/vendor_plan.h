#pragma once
// How the vendor backend lays a convolution out for the libraries (vendor_conv.cu), as plain
// index math shared with the CPU tests (NPU_HD), so the layouts are checked where no GPU runs.
//
// INT8 goes through cuBLASLt as one GEMM per group (an im2col, a strided-batched int8 GEMM with
// int32 sums, then the NPU's requantization): A = im2col(x) as [groups][M][Kp] int8, B = the
// weights as [groups][Np][Kp] int8, C = [groups][M][Np] int32, row-major, where M = N*OH*OW,
// K = C/groups*KH*KW and N = F/groups. Kp and Np are K and N rounded up with zeros (to 16 and
// 4), the alignment cuBLASLt's int8 kernels ask of leading dimensions. cuBLASLt is column-major:
// it sees C as the Np x M matrix op(B) x A with B transposed and A not (the "TN" form its int8
// kernels require), all three with leading dimension Kp or Np.
#include <cstdint>
#include <vector>

#include "kernels/cuda/direct_conv.h"

namespace npu {

struct Int8GemmPlan {
    int64_t groups = 1, m = 0, k = 0, n = 0;
    int64_t k_padded = 0, n_padded = 0;

    NPU_HD int64_t a_elements() const { return groups * m * k_padded; }
    NPU_HD int64_t b_elements() const { return groups * n_padded * k_padded; }
    NPU_HD int64_t c_elements() const { return groups * m * n_padded; }
};

constexpr int64_t kInt8GemmKAlign = 16, kInt8GemmNAlign = 4;

inline int64_t round_up(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

inline Int8GemmPlan int8_gemm_plan(const DirectConvShape& s) {
    Int8GemmPlan p;
    p.groups = s.groups;
    p.m = implicit_m(s);
    p.k = implicit_k(s);
    p.n = s.out_per_group();
    p.k_padded = round_up(p.k, kInt8GemmKAlign);
    p.n_padded = round_up(p.n, kInt8GemmNAlign);
    return p;
}

// A's element e: the input element it copies, or -1 for a zero (the padding, or k beyond K).
NPU_HD inline int64_t im2col_source(const DirectConvShape& s, const Int8GemmPlan& p, int64_t e) {
    const int64_t k = e % p.k_padded, m = (e / p.k_padded) % p.m, group = e / (p.k_padded * p.m);
    return k < p.k ? implicit_a_index(s, group, m, k) : -1;
}

// C's element e: the output element (NCHW) it becomes, or -1 for a padding column.
NPU_HD inline int64_t gemm_output_index(const DirectConvShape& s, const Int8GemmPlan& p, int64_t e) {
    const int64_t j = e % p.n_padded, m = (e / p.n_padded) % p.m, group = e / (p.n_padded * p.m);
    return j < p.n ? implicit_c_index(s, group, m, j) : -1;
}

// C's element e: its output channel (meaningful where gemm_output_index is not -1).
NPU_HD inline int64_t gemm_output_channel(const Int8GemmPlan& p, int64_t e) {
    return (e / (p.n_padded * p.m)) * p.n + e % p.n_padded;
}

// B from the weights ([F][C/groups][KH][KW]: per filter its K values in A's k order), padded.
inline std::vector<int8_t> gemm_weights(const DirectConvShape& s, const Int8GemmPlan& p, const std::vector<int8_t>& w) {
    std::vector<int8_t> b(static_cast<size_t>(p.b_elements()), 0);
    for (int64_t g = 0; g < p.groups; ++g)
        for (int64_t j = 0; j < p.n; ++j)
            for (int64_t k = 0; k < p.k; ++k)
                b[size_t((g * p.n_padded + j) * p.k_padded + k)] = w[size_t(implicit_b_index(s, g, k, j))];
    return b;
}

// cuDNN pads symmetrically (the top and left padding on both sides): whether that gives this
// shape's output size, so cuDNN can run it as it stands.
inline bool symmetric_padding_fits(const DirectConvShape& s) {
    const int64_t span_h = (s.kh - 1) * s.dilation_h + 1, span_w = (s.kw - 1) * s.dilation_w + 1;
    const int64_t oh = (s.h + 2 * s.pad_top - span_h) / s.stride_h + 1;
    const int64_t ow = (s.w + 2 * s.pad_left - span_w) / s.stride_w + 1;
    return oh == s.oh && ow == s.ow;
}

}  // namespace npu

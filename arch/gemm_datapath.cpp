#include "arch/gemm_datapath.h"

#include <algorithm>
#include <cstring>

#include "kernels/numerics/fold_gemm.h"

namespace npu {
namespace {

template <class T>
T load_element(const uint8_t* base, int64_t index, Precision p) {
    if (p == Precision::Int8) return T(reinterpret_cast<const int8_t*>(base)[index]);
    if constexpr (std::is_same_v<T, float>) return load_real(base, index, p);
    return T(0);
}

// C[m][f] (+)= sum_k A[m][k] * B[f][k]: int16 operands, int32 sums, exact in any order. Four
// columns share each load of a row of A; the clones let the compiler vectorize with the widest
// multiply-add the machine has (chosen when the program starts).
[[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")]] void int16_products(
    const int16_t* a, const int16_t* b, int64_t m_size, int64_t f_size, int64_t k_size, int32_t* c, bool accumulate) {
    for (int64_t m = 0; m < m_size; ++m) {
        const int16_t* row = a + m * k_size;
        int32_t* out = c + m * f_size;
        int64_t f = 0;
        for (; f + 4 <= f_size; f += 4) {
            const int16_t *b0 = b + f * k_size, *b1 = b0 + k_size, *b2 = b1 + k_size, *b3 = b2 + k_size;
            int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int64_t k = 0; k < k_size; ++k) {
                const int32_t x = row[k];
                s0 += x * b0[k], s1 += x * b1[k], s2 += x * b2[k], s3 += x * b3[k];
            }
            const int32_t sums[4] = {s0, s1, s2, s3};
            for (int j = 0; j < 4; ++j) out[f + j] = accumulate ? out[f + j] + sums[j] : sums[j];
        }
        for (; f < f_size; ++f) {
            const int16_t* col = b + f * k_size;
            int32_t sum = 0;
            for (int64_t k = 0; k < k_size; ++k) sum += int32_t(row[k]) * int32_t(col[k]);
            out[f] = accumulate ? out[f] + sum : sum;
        }
    }
}

}  // namespace

template <class T>
void gather_a(const isa::Gemm& g, int64_t group, const uint8_t* tile, Precision p, T* a) {
    if (g.form == isa::GemmForm::Matrix) {  // a strided view, no window
        for (int64_t m = 0; m < g.a.rows; ++m)
            for (int64_t k = 0; k < g.a.cols; ++k)
                a[m * g.a.cols + k] = T(load_element<T>(tile, g.a.at(m, k), p) - T(g.input_zero_point));
        return;
    }
    const isa::InputTile& in = g.input;
    const Window2d& w = g.window;
    const int64_t box_c = in.extent[1], box_h = in.extent[2], box_w = in.extent[3];
    const int64_t k_size = g.k();
    const int64_t channel0 = g.channel_base + group * g.channel_step;
    const T zero_point = T(g.input_zero_point);
    int64_t m = 0;
    for (int64_t n = 0; n < g.out_extent[0]; ++n)
        for (int64_t oy = 0; oy < g.out_extent[1]; ++oy)
            for (int64_t ox = 0; ox < g.out_extent[2]; ++ox, ++m) {
                T* row = a + m * k_size;
                const int64_t iy0 = (g.out_start[1] + oy) * w.stride_h - w.pad_top;
                const int64_t ix0 = (g.out_start[2] + ox) * w.stride_w - w.pad_left;
                int64_t k = 0;
                for (int64_t c = 0; c < g.channels; ++c) {
                    const int64_t plane = ((n * box_c) + channel0 + c) * box_h * box_w;
                    for (int64_t r = 0; r < w.kernel_h; ++r) {
                        const int64_t iy = iy0 + r * w.dilation_h;
                        const bool row_inside = iy >= 0 && iy < in.tensor_h;
                        const int64_t line = plane + (iy - in.start[2]) * box_w;
                        for (int64_t s = 0; s < w.kernel_w; ++s, ++k) {
                            const int64_t ix = ix0 + s * w.dilation_w;
                            row[k] = row_inside && ix >= 0 && ix < in.tensor_w
                                         ? T(load_element<T>(tile, line + ix - in.start[3], p) - zero_point)
                                         : T(0);
                        }
                    }
                }
            }
}

template <class T>
void gather_b(const isa::Gemm& g, int64_t group, const uint8_t* weights, Precision p, T* b) {
    if (g.form == isa::GemmForm::Matrix) {
        for (int64_t k = 0; k < g.b.rows; ++k)
            for (int64_t f = 0; f < g.b.cols; ++f)
                b[k * g.b.cols + f] = T(load_element<T>(weights, g.b.at(k, f), p) - T(g.weight_zero_point));
        return;
    }
    const int64_t k_size = g.k(), f_size = g.filters;
    const int64_t base = group * f_size * k_size;
    for (int64_t f = 0; f < f_size; ++f)
        for (int64_t k = 0; k < k_size; ++k)
            b[k * f_size + f] = T(load_element<T>(weights, base + f * k_size + k, p) - T(g.weight_zero_point));
}

template void gather_a<int32_t>(const isa::Gemm&, int64_t, const uint8_t*, Precision, int32_t*);
template void gather_a<float>(const isa::Gemm&, int64_t, const uint8_t*, Precision, float*);
template void gather_a<int16_t>(const isa::Gemm&, int64_t, const uint8_t*, Precision, int16_t*);
template void gather_b<int32_t>(const isa::Gemm&, int64_t, const uint8_t*, Precision, int32_t*);
template void gather_b<float>(const isa::Gemm&, int64_t, const uint8_t*, Precision, float*);

void gemm_int8(const isa::Gemm& g, const int8_t* input_tile, const int8_t* weights, int32_t* acc) {
    const int64_t m_size = g.m(), k_size = g.k(), f_size = g.filters;
    // int16 operands let the compiler use 16-bit multiply-add instructions; int8 x int8 products
    // and their int32 sums are exact, so the order of accumulation does not matter.
    std::vector<int16_t> a(size_t(m_size * k_size)), b(size_t(f_size * k_size));
    const auto* tile = reinterpret_cast<const uint8_t*>(input_tile);
    for (int64_t group = 0; group < g.groups; ++group) {
        gather_a(g, group, tile, Precision::Int8, a.data());
        if (g.form == isa::GemmForm::Matrix) {  // B[k][f] from its strided view, kept [f][k] here
            for (int64_t f = 0; f < f_size; ++f)
                for (int64_t k = 0; k < k_size; ++k)
                    b[size_t(f * k_size + k)] = int16_t(weights[g.b.at(k, f)] - g.weight_zero_point);
        } else {
            const int8_t* wg = weights + group * f_size * k_size;
            for (int64_t i = 0; i < f_size * k_size; ++i) b[size_t(i)] = int16_t(wg[i] - g.weight_zero_point);
        }
        int16_products(a.data(), b.data(), m_size, f_size, k_size, acc + group * m_size * f_size, g.accumulate);
    }
}

// Cloned for AVX2 (no FMA, and -ffp-contract=off: every product and sum rounds as in the scalar
// code): the fold loop's vectors over columns get twice as wide.
[[gnu::target_clones("avx2", "default")]] void gemm_float(const isa::Gemm& g, const uint8_t* tile, const uint8_t* w,
                                                          float* acc, int64_t fold_rows, Precision p) {
    const int64_t m_size = g.m(), k_size = g.k(), f_size = g.filters;
    std::vector<float> a(static_cast<size_t>(m_size * k_size)), b(static_cast<size_t>(k_size * f_size));
    for (int64_t group = 0; group < g.groups; ++group) {
        gather_a(g, group, tile, p, a.data());
        gather_b(g, group, w, p, b.data());
        fold_gemm_tile(a.data(), k_size, b.data(), f_size, acc + group * m_size * f_size, f_size, m_size, k_size,
                       f_size, fold_rows, !g.accumulate);
    }
}

}  // namespace npu

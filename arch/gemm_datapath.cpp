#include "arch/gemm_datapath.h"

#include <Eigen/Core>
#include <vector>

namespace npu {
namespace {

// Gathers A[m][k] of one group from the input box (im2col view); out-of-tensor cells are zero.
template <class T, class Convert, class Out>
void gather_rows(const isa::Gemm& g, int64_t group, const T* tile, Convert convert, Out* a) {
    const isa::InputTile& in = g.input;
    const Window2d& w = g.window;
    const int64_t box_c = in.extent[1], box_h = in.extent[2], box_w = in.extent[3];
    const int64_t k_size = g.k();
    const int64_t channel0 = g.channel_base + group * g.channel_step;
    int64_t m = 0;
    for (int64_t n = 0; n < g.out_extent[0]; ++n)
        for (int64_t oy = 0; oy < g.out_extent[1]; ++oy)
            for (int64_t ox = 0; ox < g.out_extent[2]; ++ox, ++m) {
                Out* row = a + m * k_size;
                const int64_t iy0 = (g.out_start[1] + oy) * w.stride_h - w.pad_top;
                const int64_t ix0 = (g.out_start[2] + ox) * w.stride_w - w.pad_left;
                int64_t k = 0;
                for (int64_t c = 0; c < g.channels; ++c) {
                    const T* plane = tile + ((n * box_c) + channel0 + c) * box_h * box_w;
                    for (int64_t r = 0; r < w.kernel_h; ++r) {
                        const int64_t iy = iy0 + r * w.dilation_h;
                        const bool row_inside = iy >= 0 && iy < in.tensor_h;
                        const T* line = plane + (iy - in.start[2]) * box_w;
                        for (int64_t s = 0; s < w.kernel_w; ++s, ++k) {
                            const int64_t ix = ix0 + s * w.dilation_w;
                            row[k] = row_inside && ix >= 0 && ix < in.tensor_w
                                         ? convert(line[ix - in.start[3]])
                                         : Out(0);
                        }
                    }
                }
            }
}

}  // namespace

void gemm_int8(const isa::Gemm& g, const int8_t* input_tile, const int8_t* weights, int32_t* acc) {
    const int64_t m_size = g.m(), k_size = g.k(), f_size = g.filters;
    // int16 operands let the compiler use 16-bit multiply-add instructions; int8 x int8 products
    // and their int32 sums are exact, so the order of accumulation does not matter.
    std::vector<int16_t> a(size_t(m_size * k_size)), b(size_t(f_size * k_size));
    for (int64_t group = 0; group < g.groups; ++group) {
        gather_rows(g, group, input_tile, [](int8_t v) { return int16_t(v); }, a.data());
        const int8_t* wg = weights + group * f_size * k_size;
        for (int64_t i = 0; i < f_size * k_size; ++i) b[size_t(i)] = wg[i];
        int32_t* cg = acc + group * m_size * f_size;
        for (int64_t m = 0; m < m_size; ++m) {
            const int16_t* row = a.data() + m * k_size;
            for (int64_t f = 0; f < f_size; ++f) {
                const int16_t* col = b.data() + f * k_size;
                int32_t sum = 0;
                for (int64_t k = 0; k < k_size; ++k) sum += int32_t(row[k]) * int32_t(col[k]);
                if (g.accumulate) cg[m * f_size + f] += sum;
                else cg[m * f_size + f] = sum;
            }
        }
    }
}

void gemm_fp16(const isa::Gemm& g, const Half* input_tile, const Half* weights, float* acc,
               int64_t fold_rows) {
    using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const int64_t m_size = g.m(), k_size = g.k(), f_size = g.filters;
    Matrix a(m_size, k_size), b(f_size, k_size);
    for (int64_t group = 0; group < g.groups; ++group) {
        gather_rows(g, group, input_tile, half_to_float, a.data());
        const Half* wg = weights + group * f_size * k_size;
        for (int64_t i = 0; i < f_size * k_size; ++i) b.data()[i] = half_to_float(wg[i]);
        Eigen::Map<Matrix> c(acc + group * m_size * f_size, m_size, f_size);
        if (!g.accumulate) c.setZero();
        // One fold of the reduction at a time, added to the accumulator as the array does.
        for (int64_t k0 = 0; k0 < k_size; k0 += fold_rows) {
            const int64_t kt = std::min(fold_rows, k_size - k0);
            c.noalias() += a.middleCols(k0, kt) * b.middleCols(k0, kt).transpose();
        }
    }
}

}  // namespace npu

#pragma once
// Which input rows (or columns) a block of sliding-window outputs reads, clipped to the tensor.
#include <algorithm>
#include <array>
#include <cstdint>

namespace npu {

struct Span {
    int64_t begin = 0;
    int64_t end = 0;
    int64_t size() const { return end - begin; }
};

// Outputs [out_begin, out_begin + count) along one axis with the given stride, leading pad and
// dilated extent read inputs [out_begin * stride - pad, (last) * stride - pad + extent), clipped
// to [0, in_size).
inline Span input_span(int64_t out_begin, int64_t count, int64_t stride, int64_t pad_before, int64_t extent,
                       int64_t in_size) {
    const int64_t lo = out_begin * stride - pad_before;
    const int64_t hi = (out_begin + count - 1) * stride - pad_before + extent;
    return Span{std::max<int64_t>(lo, 0), std::min<int64_t>(hi, in_size)};
}

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Visits the tiles of a tensor of `dims`, in row-major order of tile origins, with each tile's
// origin, its extent (clipped at the edges) and its index.
template <class Visit>
void for_each_tile(const std::array<int64_t, 4>& dims, const std::array<int64_t, 4>& tile, Visit visit) {
    int64_t index = 0;
    for (int64_t n0 = 0; n0 < dims[0]; n0 += tile[0])
        for (int64_t c0 = 0; c0 < dims[1]; c0 += tile[1])
            for (int64_t y0 = 0; y0 < dims[2]; y0 += tile[2])
                for (int64_t x0 = 0; x0 < dims[3]; x0 += tile[3], ++index)
                    visit(std::array<int64_t, 4>{n0, c0, y0, x0},
                          std::array<int64_t, 4>{std::min(tile[0], dims[0] - n0), std::min(tile[1], dims[1] - c0),
                                                 std::min(tile[2], dims[2] - y0), std::min(tile[3], dims[3] - x0)},
                          index);
}

// Halves the tile's dimensions in the order n, c, h, w (skipping those `may_split` refuses)
// until `fits(tile)`. Returns false when even the smallest such tile does not fit.
template <class Fits, class MaySplit>
bool shrink_to_fit(std::array<int64_t, 4>& tile, Fits fits, MaySplit may_split) {
    for (int dim = 0; !fits(tile);) {
        while (dim < 4 && (tile[size_t(dim)] == 1 || !may_split(dim))) ++dim;
        if (dim == 4) return false;
        tile[size_t(dim)] = ceil_div(tile[size_t(dim)], 2);
    }
    return true;
}

}  // namespace npu

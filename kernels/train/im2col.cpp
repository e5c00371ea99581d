#include "kernels/train/im2col.h"

#include <algorithm>

namespace npu {
namespace {

// Calls visit(column index, input index) for every column cell that reads the input.
template <class Visit>
void for_each_cell(const ConvGeometry& g, int64_t group, Visit visit) {
    const Window2d& w = g.window;
    const int64_t cg = g.in_per_group(), oh = g.output.h, ow = g.output.w;
    for (int64_t c = 0; c < cg; ++c)
        for (int64_t i = 0; i < w.kernel_h; ++i)
            for (int64_t j = 0; j < w.kernel_w; ++j) {
                const int64_t k = (c * w.kernel_h + i) * w.kernel_w + j;
                const int64_t plane = (group * cg + c) * g.input.h * g.input.w;
                for (int64_t oy = 0; oy < oh; ++oy) {
                    const int64_t y = oy * w.stride_h - w.pad_top + i * w.dilation_h;
                    if (y < 0 || y >= g.input.h) continue;
                    for (int64_t ox = 0; ox < ow; ++ox) {
                        const int64_t x = ox * w.stride_w - w.pad_left + j * w.dilation_w;
                        if (x >= 0 && x < g.input.w) visit(k * oh * ow + oy * ow + ox, plane + y * g.input.w + x);
                    }
                }
            }
}

}  // namespace

void im2col(const float* x, const ConvGeometry& g, int64_t group, float* col) {
    std::fill(col, col + g.k_per_group() * g.output.h * g.output.w, 0.0f);
    for_each_cell(g, group, [&](int64_t k, int64_t i) { col[k] = x[i]; });
}

void col2im(const float* col, const ConvGeometry& g, int64_t group, float* dx) {
    for_each_cell(g, group, [&](int64_t k, int64_t i) { dx[i] += col[k]; });
}

}  // namespace npu

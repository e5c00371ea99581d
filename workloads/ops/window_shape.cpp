#include "workloads/ops/window_shape.h"

#include <fmt/format.h>

#include <algorithm>

namespace npu {
namespace {

void check_window(const LayerView& v, const Window2d& w) {
    if (w.kernel_h < 1 || w.kernel_w < 1) v.fail("kernel must be >= 1");
    if (w.stride_h < 1 || w.stride_w < 1) v.fail("stride must be >= 1");
    if (w.dilation_h < 1 || w.dilation_w < 1) v.fail("dilation must be >= 1");
    if (w.pad_top < 0 || w.pad_left < 0 || w.pad_bottom < 0 || w.pad_right < 0) v.fail("padding must be >= 0");
    // A window that sees only padding has no defined value (and no hardware reads it).
    if (std::max(w.pad_top, w.pad_bottom) >= w.extent_h() || std::max(w.pad_left, w.pad_right) >= w.extent_w())
        v.fail(fmt::format("padding {},{},{},{} must be smaller than the {}x{} window extent", w.pad_top, w.pad_left,
                           w.pad_bottom, w.pad_right, w.extent_h(), w.extent_w()));
}

}  // namespace

Shape window_shape(const LayerView& v, const Window2d& w, int64_t channels) {
    check_window(v, w);
    const Shape in = v.input();
    Shape out{in.n, channels, window_output(in.h, w.pad_top, w.pad_bottom, w.extent_h(), w.stride_h),
              window_output(in.w, w.pad_left, w.pad_right, w.extent_w(), w.stride_w)};
    if (out.h < 1 || out.w < 1)
        v.fail(
            fmt::format("a {}x{} window (dilated extent {}x{}) does not fit the {}x{} input with padding "
                        "{},{},{},{}",
                        w.kernel_h, w.kernel_w, w.extent_h(), w.extent_w(), in.h, in.w, w.pad_top, w.pad_left,
                        w.pad_bottom, w.pad_right));
    return out;
}

}  // namespace npu

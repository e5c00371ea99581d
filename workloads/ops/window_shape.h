#pragma once
// Output shape of a sliding-window op (conv2d, pools), with the window's checks.
#include "workloads/ops/op_def.h"

namespace npu {

// The window must be positive, its padding smaller than its extent, and it must fit the input.
Shape window_shape(const LayerView& v, const Window2d& w, int64_t channels);

}  // namespace npu

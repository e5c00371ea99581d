#include "sim/compiler/fusion_plan.h"

#include <algorithm>

#include "sim/compiler/lowering_table.h"

namespace npu {
namespace {

bool fusable_add(const Layer& add, int p) {
    return add.kind == LayerKind::Add && add.inputs.size() == 2 &&
           std::count(add.inputs.begin(), add.inputs.end(), p) == 1;
}

// Windows that never cross a cut at a multiple of the stride: no padding, no dilation, the
// kernel no larger than the stride, and no partial window at the end (floor-mode output).
bool fusable_pool(const Layer& pool, const Shape& in) {
    if (pool.kind != LayerKind::MaxPool && pool.kind != LayerKind::AvgPool) return false;
    const Window2d& w = pool.pool.window;
    const bool unpadded = w.pad_top == 0 && w.pad_left == 0 && w.pad_bottom == 0 && w.pad_right == 0;
    return unpadded && w.dilation_h == 1 && w.dilation_w == 1 && w.kernel_h <= w.stride_h && w.kernel_w <= w.stride_w &&
           pool.output.h == (in.h - w.kernel_h) / w.stride_h + 1 &&
           pool.output.w == (in.w - w.kernel_w) / w.stride_w + 1;
}

}  // namespace

FusionPlan plan_fusion(const Graph& g, const std::vector<QuantLayer>& quant, const NpuConfig& config) {
    const size_t n = g.layers.size();
    FusionPlan f{std::vector<int32_t>(n, -1), std::vector<int32_t>(n, -1)};
    if (!config.memory.fusion) return f;
    for (size_t p = 1; p + 1 < n; ++p) {
        const Layer& conv = g.layers[p];
        const Layer& next = g.layers[p + 1];
        if (lowering_for(conv.kind).lower != lower_conv || quant[p].out_int32 || g.readers(int(p)) != 1) continue;
        const bool pool = next.inputs.size() == 1 && next.inputs[0] == int(p) && fusable_pool(next, conv.output);
        if (!fusable_add(next, int(p)) && !pool) continue;
        f.next_of[p] = int32_t(p + 1);
        f.into_conv[p + 1] = int32_t(p);
    }
    return f;
}

FusedPool fused_pool(const Layer& pool) {
    return {pool.pool.window.stride_h, pool.pool.window.stride_w, pool.output.elements()};
}

}  // namespace npu

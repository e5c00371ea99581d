#include "sim/compiler/fusion_plan.h"

#include <algorithm>

#include "sim/compiler/lowering_table.h"

namespace npu {

FusionPlan plan_fusion(const Graph& g, const std::vector<QuantLayer>& quant, const NpuConfig& config) {
    const size_t n = g.layers.size();
    FusionPlan f{std::vector<int32_t>(n, -1), std::vector<int32_t>(n, -1)};
    if (!config.memory.fusion) return f;
    for (size_t p = 1; p + 1 < n; ++p) {
        const Layer& conv = g.layers[p];
        const Layer& add = g.layers[p + 1];
        if (lowering_for(conv.kind).lower != lower_conv || add.kind != LayerKind::Add) continue;
        if (add.inputs.size() != 2 || quant[p].out_int32 || g.readers(int(p)) != 1) continue;
        const auto reads_p = std::count(add.inputs.begin(), add.inputs.end(), int(p));
        if (reads_p != 1) continue;
        f.add_of[p] = int32_t(p + 1);
        f.into_conv[p + 1] = int32_t(p);
    }
    return f;
}

}  // namespace npu

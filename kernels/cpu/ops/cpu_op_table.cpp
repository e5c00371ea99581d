#include <array>

#include "kernels/cpu/ops/cpu_op_parts.h"
#include "workloads/ir/kind_table.h"

namespace npu {
namespace {

using CpuOpTable = std::array<CpuOp, kLayerKindCount>;

CpuOpTable build_table() {
    const CpuOpTable table = {cpu_input_op(), cpu_conv2d_op(),          cpu_fc_op(),         cpu_relu_op(),
                              cpu_relu6_op(), cpu_maxpool_op(),         cpu_avgpool_op(),    cpu_global_avgpool_op(),
                              cpu_add_op(),   cpu_batchnorm_op(),       cpu_softmax_op(),    cpu_flatten_op(),
                              cpu_clip_op(),  cpu_concat_op(),          cpu_unary_op(),      cpu_mul_op(),
                              cpu_slice_op(), cpu_channel_shuffle_op(), cpu_layer_norm_op(), cpu_reshape_op()};
    return require_kind_order(table, "CPU op table", [](const CpuOp& op) { return op.run != nullptr; });
}

}  // namespace

const CpuOp& cpu_op(LayerKind kind) {
    static const CpuOpTable table = build_table();
    return table[size_t(kind)];
}

}  // namespace npu

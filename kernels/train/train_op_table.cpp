#include <algorithm>
#include <array>

#include "kernels/train/loss_row.h"
#include "kernels/train/train_op_parts.h"
#include "workloads/ir/kind_table.h"

namespace npu {
namespace {

using TrainOpTable = std::array<TrainOp, kLayerKindCount>;

TrainOpTable build_table() {
    const TrainOpTable table = {
        train_input_op(), train_conv2d_op(), train_fc_op(), train_relu_op(), train_relu6_op(), train_maxpool_op(),
        train_avgpool_op(), train_global_avgpool_op(), train_add_op(), train_batchnorm_op(), train_softmax_op(),
        train_flatten_op(), train_clip_op(), train_concat_op(),
        // Not trained yet: a model with them is refused before training.
        TrainOp{LayerKind::Unary, nullptr, nullptr}, TrainOp{LayerKind::Mul, nullptr, nullptr},
        TrainOp{LayerKind::Slice, nullptr, nullptr}, TrainOp{LayerKind::ChannelShuffle, nullptr, nullptr},
        TrainOp{LayerKind::LayerNorm, nullptr, nullptr}, train_reshape_op()};
    return require_kind_order(table, "train op table", [](const TrainOp& op) {
        return (op.forward == nullptr) == (op.backward == nullptr);  // both, or refused in training
    });
}

}  // namespace

const TrainOp& train_op(LayerKind kind) {
    static const TrainOpTable table = build_table();
    return table[size_t(kind)];
}

float apply_activation(float z, Activation a) {
    if (a == Activation::Relu) return std::max(z, 0.0f);
    if (a == Activation::Relu6) return std::clamp(z, 0.0f, 6.0f);
    return z;
}

float activation_grad(float y, float dy, Activation a) { return fused_activation_grad(y, dy, a); }

void add_rounded(std::vector<float>& grad, const std::vector<float>& values, TrainPrecision p) {
    if (grad.empty()) grad.assign(values.size(), 0.0f);
    for (size_t i = 0; i < values.size(); ++i) grad[i] = round_compute(grad[i] + values[i], p);
}

}  // namespace npu

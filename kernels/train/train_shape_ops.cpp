// The input, views (flatten, reshape), and the kinds training refuses.
#include "kernels/train/train_op_parts.h"

namespace npu {
namespace {

void view_forward(const TrainCall& c) { c.out() = c.in(); }
void view_backward(const TrainCall& c) { add_rounded(c.in_grad(), c.grad(), c.precision); }

}  // namespace

// The trainer writes the micro-batch into an input's output itself.
TrainOp train_input_op() {
    return {LayerKind::Input, [](const TrainCall&) {}, [](const TrainCall&) {}};
}
TrainOp train_flatten_op() { return {LayerKind::Flatten, view_forward, view_backward}; }
TrainOp train_reshape_op() { return {LayerKind::Reshape, view_forward, view_backward}; }
// Concat is not modelled yet; softmax is only accepted as the last layer, where the trainer
// fuses it into the loss.
TrainOp train_softmax_op() { return {LayerKind::Softmax}; }
TrainOp train_concat_op() { return {LayerKind::Concat}; }

}  // namespace npu

#pragma once
// The TrainOps each family file defines; train_op_table.cpp lists them in LayerKind order.
#include "kernels/train/train_op.h"

namespace npu {

TrainOp train_input_op();
TrainOp train_conv2d_op();
TrainOp train_fc_op();
TrainOp train_relu_op();
TrainOp train_relu6_op();
TrainOp train_maxpool_op();
TrainOp train_avgpool_op();
TrainOp train_global_avgpool_op();
TrainOp train_add_op();
TrainOp train_batchnorm_op();
TrainOp train_softmax_op();
TrainOp train_flatten_op();
TrainOp train_clip_op();
TrainOp train_concat_op();
TrainOp train_reshape_op();

}  // namespace npu

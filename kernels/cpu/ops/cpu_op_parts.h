#pragma once
// The CpuOps each family file defines; cpu_op_table.cpp lists them in LayerKind order.
#include "kernels/cpu/ops/cpu_op.h"

namespace npu {

CpuOp cpu_input_op();
CpuOp cpu_conv2d_op();
CpuOp cpu_fc_op();
CpuOp cpu_relu_op();
CpuOp cpu_relu6_op();
CpuOp cpu_maxpool_op();
CpuOp cpu_avgpool_op();
CpuOp cpu_global_avgpool_op();
CpuOp cpu_add_op();
CpuOp cpu_batchnorm_op();
CpuOp cpu_softmax_op();
CpuOp cpu_flatten_op();
CpuOp cpu_clip_op();
CpuOp cpu_concat_op();
CpuOp cpu_unary_op();
CpuOp cpu_mul_op();
CpuOp cpu_slice_op();
CpuOp cpu_channel_shuffle_op();
CpuOp cpu_layer_norm_op();
CpuOp cpu_reshape_op();

}  // namespace npu

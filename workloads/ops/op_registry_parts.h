#pragma once
// The OpDefs each family file defines; op_registry.cpp lists them in LayerKind order.
#include "workloads/ops/op_def.h"

namespace npu {

OpDef input_op();
OpDef conv2d_op();
OpDef fc_op();
OpDef relu_op();
OpDef relu6_op();
OpDef maxpool_op();
OpDef avgpool_op();
OpDef global_avgpool_op();
OpDef add_op();
OpDef unary_op();
OpDef mul_op();
OpDef batchnorm_op();
OpDef softmax_op();
OpDef layer_norm_op();
OpDef flatten_op();
OpDef clip_op();
OpDef concat_op();
OpDef slice_op();
OpDef channel_shuffle_op();
OpDef reshape_op();

}  // namespace npu

#include "workloads/ir/layer.h"

#include <fmt/format.h>

namespace npu {

const char* kind_name(LayerKind kind) {
    switch (kind) {
        case LayerKind::Input: return "input";
        case LayerKind::Conv2d: return "conv2d";
        case LayerKind::FullyConnected: return "fc";
        case LayerKind::Relu: return "relu";
        case LayerKind::Relu6: return "relu6";
        case LayerKind::MaxPool: return "maxpool";
        case LayerKind::AvgPool: return "avgpool";
        case LayerKind::GlobalAvgPool: return "global_avgpool";
        case LayerKind::Add: return "add";
        case LayerKind::BatchNorm: return "batchnorm";
        case LayerKind::Softmax: return "softmax";
        case LayerKind::Flatten: return "flatten";
        case LayerKind::Clip: return "clip";
        case LayerKind::Concat: return "concat";
        case LayerKind::Reshape: return "reshape";
    }
    return "?";
}

bool has_weights(LayerKind kind) {
    return kind == LayerKind::Conv2d || kind == LayerKind::FullyConnected || kind == LayerKind::BatchNorm;
}

}  // namespace npu

#include "sim/compiler/lowering_table.h"

#include <array>
#include <limits>

#include "workloads/ir/kind_table.h"

namespace npu {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

Lowering on_array(LayerKind kind) { return {kind, lower_conv, {}}; }
Lowering no_instructions(LayerKind kind) { return {kind, nullptr, {}}; }

Lowering on_vector(LayerKind kind, isa::VectorOp op, VectorFootprint footprint = VectorFootprint::Elementwise) {
    Lowering l{kind, lower_vector_layer, {}};
    l.vector.op = op;
    l.vector.footprint = footprint;
    return l;
}

Lowering clamp(LayerKind kind, std::pair<float, float> (*bounds)(const Layer&)) {
    Lowering l = on_vector(kind, isa::VectorOp::Clamp);
    l.vector.float_bounds = bounds;
    return l;
}

Lowering global_avgpool() {
    Lowering l = on_vector(LayerKind::GlobalAvgPool, isa::VectorOp::GlobalAvgPool, VectorFootprint::Plane);
    l.vector.may_split = [](const Layer&, int dim) { return dim <= 1; };  // whole planes
    return l;
}

Lowering softmax() {
    Lowering l = on_vector(LayerKind::Softmax, isa::VectorOp::Softmax);
    l.vector.may_split = [](const Layer& layer, int dim) {  // whole rows
        return dim != layer.softmax.axis && !(layer.softmax.flatten && dim > layer.softmax.axis);
    };
    return l;
}

Lowering layer_norm() {
    Lowering l = on_vector(LayerKind::LayerNorm, isa::VectorOp::LayerNorm);
    l.vector.may_split = [](const Layer&, int dim) { return dim != 1; };  // every channel of a pixel
    l.vector.channel_records = true;
    return l;
}

Lowering batchnorm() {
    Lowering l = on_vector(LayerKind::BatchNorm, isa::VectorOp::Affine);
    l.vector.channel_records = true;
    return l;
}

using LoweringTable = std::array<Lowering, kLayerKindCount>;

LoweringTable build_table() {
    const LoweringTable table = {
        no_instructions(LayerKind::Input),
        on_array(LayerKind::Conv2d),
        on_array(LayerKind::FullyConnected),
        clamp(LayerKind::Relu,
              [](const Layer&) {
                  return std::pair{0.0f, kInf};
              }),
        clamp(LayerKind::Relu6,
              [](const Layer&) {
                  return std::pair{0.0f, 6.0f};
              }),
        on_vector(LayerKind::MaxPool, isa::VectorOp::MaxPool, VectorFootprint::Window),
        on_vector(LayerKind::AvgPool, isa::VectorOp::AvgPool, VectorFootprint::Window),
        global_avgpool(),
        on_vector(LayerKind::Add, isa::VectorOp::Add),
        batchnorm(),
        softmax(),
        no_instructions(LayerKind::Flatten),
        clamp(LayerKind::Clip,
              [](const Layer& l) {
                  return std::pair{l.clip.min, l.clip.max};
              }),
        {LayerKind::Concat, lower_concat, {}},
        on_vector(LayerKind::Unary, isa::VectorOp::Unary),
        on_vector(LayerKind::Mul, isa::VectorOp::Mul),
        {LayerKind::Slice, lower_slice, {}},
        {LayerKind::ChannelShuffle, lower_channel_shuffle, {}},
        layer_norm(),
        no_instructions(LayerKind::Reshape),
    };
    return require_kind_order(table, "lowering table", [](const Lowering&) { return true; });
}

}  // namespace

const Lowering& lowering_for(LayerKind kind) {
    static const LoweringTable table = build_table();
    return table[size_t(kind)];
}

}  // namespace npu

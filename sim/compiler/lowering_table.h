#pragma once
// The op registry's compiler layer: how each layer kind becomes NPU instructions, one entry per
// kind (lowering_table.cpp), beside its OpDef (workloads/ops/) and CpuOp (kernels/cpu/ops/).
#include <utility>

#include "sim/compiler/lowering.h"

namespace npu {

// Which input box an output box of a vector op reads.
enum class VectorFootprint {
    Elementwise,  // the same box (add, clamps, softmax, batchnorm)
    Window,       // the box under the pooling window (max and average pool)
    Plane,        // the whole plane of each channel (global average pool)
};

// What lower_vector_layer needs to know about a vector op.
struct VectorTraits {
    isa::VectorOp op = isa::VectorOp::Clamp;
    VectorFootprint footprint = VectorFootprint::Elementwise;
    bool channel_records = false;  // per-channel scale and shift load beside each output tile
    // Float bounds of a Clamp; nullptr: the layer's clip attributes (by default no bound).
    std::pair<float, float> (*float_bounds)(const Layer& l) = nullptr;
    // Whether a tile may cut output dimension `dim` (0..3, NCHW); nullptr: every dimension.
    bool (*may_split)(const Layer& l, int dim) = nullptr;
};

struct Lowering {
    LayerKind kind;
    // nullptr: no instructions (an input is in DRAM before the run; a view shares its input's bytes).
    void (*lower)(const LoweringContext& ctx, int layer) = nullptr;
    VectorTraits vector;  // for kinds lowered by lower_vector_layer
};

const Lowering& lowering_for(LayerKind kind);

}  // namespace npu

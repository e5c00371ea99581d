#pragma once
// Lowering of one layer to NPU instructions. Shared context and the per-kind entry points.
#include <vector>

#include "arch/npu_config.h"
#include "kernels/model/prepared_model.h"
#include "sim/compiler/conv_tiler.h"
#include "sim/compiler/dram_plan.h"
#include "sim/compiler/fusion_plan.h"
#include "sim/compiler/program_builder.h"
#include "sim/compiler/residency_plan.h"

namespace npu {

struct LoweringContext {
    const NpuConfig& config;
    Precision precision;
    const Graph& graph;
    const std::vector<QuantLayer>& quant;  // clamps, rescales (defaults in timing-only runs)
    const DramPlan& dram;
    const ResidencyPlan& residency;
    const FusionPlan& fusion;
    ProgramBuilder& builder;
    std::vector<TilingChoice>* tilings = nullptr;  // where conv lowering records its choice (per layer)

    int64_t element_bytes() const { return int64_t(npu::element_bytes(precision)); }
    int64_t output_bytes(int layer) const { return dram.element_bytes[size_t(layer)]; }
    // A layer's output tensor where it lives (DRAM or on chip) as a whole-tensor box (NCHW).
    isa::DramBox tensor_box(int layer) const;
    int32_t tensor_id(int layer) const { return dram.tensor_id[size_t(layer)]; }
    // Whether a layer's output lives on chip (through its alias: a flatten's is its input's).
    bool onchip(int layer) const { return residency.resident(tensor_id(layer)); }
};

// A box of `whole` restricted to start/extent.
isa::DramBox sub_box(isa::DramBox whole, std::array<int64_t, 4> start, std::array<int64_t, 4> extent);

// The instruction of vector layer `layer` for its output box [out_start, + out_extent) reading
// the input box [in_start, + in_extent) (tensor coordinates, NCHW): its op, attributes and INT8
// parameters; the caller sets the regions.
isa::Vector vector_tile(const LoweringContext& ctx, int layer, const std::array<int64_t, 4>& in_start,
                        const std::array<int64_t, 4>& in_extent, const std::array<int64_t, 4>& out_start,
                        const std::array<int64_t, 4>& out_extent);

// conv2d and fully connected: GEMM tiles on the array, requantization on the vector unit.
void lower_conv(const LoweringContext& ctx, int layer);
// Pools, add, relu, clip, softmax, global average pool, a standalone batchnorm: tiles on the
// vector unit.
void lower_vector_layer(const LoweringContext& ctx, int layer);
// Concat: each input's tiles move into their place in the output (rescaled on the vector unit
// when INT8 scales differ, else straight through SRAM by DMA).
void lower_concat(const LoweringContext& ctx, int layer);
// Slice and channel shuffle: tiles moved by DMA, through the input slot.
void lower_slice(const LoweringContext& ctx, int layer);
void lower_channel_shuffle(const LoweringContext& ctx, int layer);

}  // namespace npu

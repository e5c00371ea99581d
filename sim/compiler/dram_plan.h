#pragma once
// Where every tensor of a workload lives in the NPU's DRAM: the input, each layer's output, and
// each conv/fc layer's weights and per-channel parameters. Tensors never share addresses, so
// DRAM carries no write-after-read hazards; a flatten's output aliases its input.
#include <cstdint>
#include <functional>
#include <vector>

#include "kernels/model/prepared_model.h"
#include "sim/compiler/dram_allocator.h"

namespace npu {

struct DramPlan {
    std::vector<uint64_t> output_address;  // per layer (the input layer: the model input)
    std::vector<int32_t> tensor_id;        // per layer: layer whose bytes its output is (aliases)
    std::vector<uint64_t> weight_address;  // per layer, conv/fc only
    std::vector<uint64_t> param_address;   // per layer, conv/fc only
    std::vector<int64_t> element_bytes;    // per layer: its output's element size
    uint64_t base_address = 0;             // the first address of this plan's tensors
    uint64_t total_bytes = 0;              // one past its last address (aligned)
    // Bytes every run must move at least once: inputs, weights, channel parameters and each
    // stored output (aliases excluded).
    uint64_t compulsory_bytes = 0;
};

// Places every tensor with `dram`, after what it already holds. `quant` gives per-layer output
// types (int32 sums of imported ConvInteger layers).
DramPlan plan_dram(const Graph& graph, Precision precision, const std::vector<QuantLayer>& quant, DramAllocator& dram);

// The DRAM contents of [base_address, total_bytes) before a run: input, weights and channel
// parameters at their addresses, zeros elsewhere.
std::vector<uint8_t> dram_image(const QuantModel& model, const DramPlan& plan);

// What a driver writes, piece by piece (`write` gets each non-empty one): the inputs, and the
// weights and channel parameters of every layer not marked `resident` (per layer; training's
// weights, kept in place by the update). dram_image is every piece of a plan.
using DramWriter = std::function<void(uint64_t address, const uint8_t* bytes, size_t size)>;
void for_each_dram_write(const QuantModel& model, const DramPlan& plan, const std::vector<bool>& resident,
                         const DramWriter& write);

// Per-channel parameter records (isa::kChannelParamBytes each) of a conv/fc layer.
std::vector<uint8_t> channel_params(const QuantModel& model, int layer);

}  // namespace npu

#pragma once
// Chooses how a convolution (or fully connected layer) is cut into buffer tiles.
//
// Per group the layer is a GEMM: M output pixels (batch x rows x cols), K = channels x kh x kw,
// N filters. A tile takes `groups` whole groups (depthwise layers) or one group's `channels` x
// `filters` slice, and an output box of `batch` x `rows` x `cols` pixels. Its input box (with
// the window's halo), weights, output and channel parameters must fit half of their buffers
// (double buffering) and its partial sums half of the accumulator.
//
// Candidates: every power-of-two split (and multiples of the array's side) of groups, channels
// and filters, each with the largest output box that fits beside it and up to four halvings of
// that box; each with the better of two loop orders. K is innermost (partial sums stay in the
// accumulator); output boxes go outside filter blocks (m_outer) or the reverse, whichever reloads
// fewer DRAM bytes (then fewer on-chip bytes: a resident input read again costs only the port).
//
// Estimate: double buffering overlaps loads, GEMMs and stores, so a layer takes the longest of
// three paths: the array's cycles plus what it cannot hide (the first tile's input box and
// weight slice before it starts, the last tile's store after it stops: a large box exposes more
// of both, the effect that made a larger buffer slower), or the DRAM's (on-chip moves') busy
// cycles plus the last GEMM step after the last load. The DRAM's is the longest of its bytes at
// its rate and each DMA channel's bytes plus the DRAM's latency per transfer (a channel waits
// out each transfer before the next). DRAM bytes count the partial bursts at both ends of every
// contiguous run of a box (arch/dram_box.h), so a small box pays for its many short runs and
// many small tiles for their latencies.
//
// Choice: among the tilings estimated within the design's memory.tiling_slack (3%) of the
// fastest, the one with the smallest sum of its cycles and DRAM bytes each relative to the
// fastest's (a percent of cycles is given up only for at least a percent of DRAM bytes), then
// the fewest cycles (sim/compiler/tiling_choice.h); the report's tiling section says what it
// beat and by how much.
#include <cstdint>
#include <string>

#include "arch/npu_config.h"
#include "kernels/model/conv_geometry.h"
#include "sim/compiler/buffer_plan.h"

namespace npu {

struct ConvTiling {
    int64_t groups = 1, channels = 1, filters = 1;  // per tile
    int64_t batch = 1, rows = 1, cols = 1;          // output box
    bool m_outer = true;
    OperandNeeds needs;
    int64_t accumulator_entries = 0;
    // Estimates the choice was made on.
    int64_t dram_bytes = 0;
    int64_t onchip_bytes = 0;  // moved between resident tensors and tile slots
    int64_t array_cycles = 0;
    int64_t step_cycles = 0;     // one K step: the GEMM of one tile's channels into its filters
    int64_t exposed_cycles = 0;  // the first tile's operand loads and the last tile's store
    int64_t load_cycles = 0;     // the DMA's load channel: DRAM bytes loaded and a latency per transfer
    int64_t store_cycles = 0;    // the same for its store channel
    // max(array + exposed, max(DRAM, load, store) + one GEMM step, on-chip moves + one step)
    int64_t estimated_cycles = 0;
    const char* bound = "array";  // the largest of the three: "array", "dram" or "onchip"
    int box_halvings = 0;         // how many times the box was halved below the largest that fits
    int64_t tiles = 0;            // output tiles (each a K loop of GEMMs into one accumulator slot)
    int64_t other_order_dram_bytes = 0;
    int64_t other_order_onchip_bytes = 0;

    int64_t m() const { return batch * rows * cols; }
    // "g1 c64 f128 box 1x28x28" (groups, channels, filters per tile, output box N x H x W).
    std::string shape() const;
    const char* order() const { return m_outer ? "m-outer" : "n-outer"; }
};

// Why a tiling won (the report's tiling section): how many fit, and the next best of them.
struct TilingChoice {
    ConvTiling chosen;
    int64_t fitting = 0;  // tilings that fit, each with its better loop order
    bool has_runner_up = false;
    ConvTiling runner_up;            // the best of the others (when there are any)
    ConvTiling largest;              // the chosen slice with the largest box that fits (chosen when not halved)
    int64_t fastest_cycles = 0;      // the smallest estimate of all (the chosen is within the slack of it)
    int64_t fastest_dram_bytes = 0;  // its DRAM bytes (the fewest of the fastest when they tie)

    // One line: what bounds the estimate, and what the next best would have cost.
    std::string reason() const;
};

// A pool fused into the conv (sim/compiler/fusion_plan.h): output boxes are cut at multiples of
// its strides, and each tile's pooled box (about 1 / (stride_h x stride_w) of it) is what is stored.
struct FusedPool {
    int64_t stride_h = 0, stride_w = 0;  // 0: no pool fused
    int64_t output_elements = 0;         // of the pool's output tensor

    bool present() const { return stride_h > 0; }
};

// Where the layer's input and output tensors live (sim/compiler/residency_plan.h); the output
// is the fused layer's when one is. A conv fused with an add also loads the add's other operand
// next to each output tile; one fused with a pool also holds the pooled tile.
struct TensorHomes {
    bool input_onchip = false;
    bool output_onchip = false;
    bool fused_add = false;
    bool skip_onchip = false;
    FusedPool pool;
};

// Elements of the pooled box of an output box of `rows` x `cols` (upper bound for any tile).
inline int64_t pooled_elements(const FusedPool& pool, int64_t batch, int64_t channels, int64_t rows, int64_t cols) {
    return pool.present() ? batch * channels * ((rows + pool.stride_h - 1) / pool.stride_h) *
                                ((cols + pool.stride_w - 1) / pool.stride_w)
                          : 0;
}

// Throws CompileError when not even a one-pixel, one-channel tile fits.
// `output_bytes`: element size of the layer's output (the precision's, or 4 for int32 sums).
TilingChoice search_conv_tiling(const ConvGeometry& geometry, const NpuConfig& config, Precision precision,
                                int64_t output_bytes, const std::string& layer_name, TensorHomes homes = {});
// The chosen tiling of search_conv_tiling.
ConvTiling choose_conv_tiling(const ConvGeometry& geometry, const NpuConfig& config, Precision precision,
                              int64_t output_bytes, const std::string& layer_name, TensorHomes homes = {});

// Bytes of the input box of an output box [batch x rows x cols] at the worst position.
int64_t conv_input_box_elements(const ConvGeometry& g, int64_t channels, const ConvTiling& t);

}  // namespace npu

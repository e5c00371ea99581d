#pragma once
// Lowering of one element-wise pass over flat streams in DRAM: the vector-unit work of a
// training step (activation and pooling gradients, batchnorm's statistics and normalization, the
// loss, the optimizer update). Tiles of every input stream are loaded, `ops_per_element` vector
// instructions run on each tile, and the output streams are stored: the time and the DRAM traffic
// of the pass. Only the timing is meaningful: the instructions are Add (two or more inputs) or
// Clamp (one input) on the tiles, standing in for the arithmetic the host does.
#include <cstdint>
#include <vector>

#include "arch/npu_config.h"
#include "sim/compiler/program_builder.h"

namespace npu {

struct StreamJob {
    int64_t elements = 0;           // per stream
    std::vector<uint64_t> inputs;   // DRAM addresses of the input streams (at least one)
    std::vector<uint64_t> outputs;  // of the output streams (none: a reduction, its result stays on chip)
    int ops_per_element = 1;        // vector operations on every element
    Precision precision = Precision::Fp32;
};

// Elements per tile: the whole stream, halved until every stream's tile fits its double-buffered
// slots. Throws CompileError when not even one element fits.
int64_t choose_stream_tile(const NpuConfig& config, const StreamJob& job);

// Appends the job's instructions (tensor ids: the outputs are 0 .. outputs - 1).
void lower_stream(const NpuConfig& config, const StreamJob& job, ProgramBuilder& builder);

}  // namespace npu

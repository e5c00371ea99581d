#pragma once
// Lowering of one element-wise pass over flat streams in DRAM: the vector-unit work of a
// training step (activation and pooling gradients, batchnorm's statistics and normalization, the
// loss, the optimizer update). Tiles of every input stream are loaded, vector instructions run
// on each tile, and the output streams are stored. A job either lists its instructions (`ops`,
// computed for real: the SGD update) or gives only their count (`ops_per_element`: Add or Clamp
// stand-ins for arithmetic the host does, for the time and the DRAM traffic).
#include <cstdint>
#include <limits>
#include <vector>

#include "arch/npu_config.h"
#include "sim/compiler/program_builder.h"

namespace npu {

// One instruction of a job on every tile. Operands name tiles: the input streams' 0 .. I-1,
// then the output streams' I .. I+O-1 (an output tile may feed a later instruction).
struct StreamOp {
    isa::VectorOp op = isa::VectorOp::Axpby;
    int src = 0, src2 = 0, dst = 0;
    double alpha = 1.0, beta = 0.0;                      // Axpby
    Precision convert_to = Precision::Fp32;              // Convert
    float lo = -std::numeric_limits<float>::infinity();  // ClampGrad's bounds
    float hi = std::numeric_limits<float>::infinity();
};

struct StreamJob {
    int64_t elements = 0;           // per stream
    std::vector<uint64_t> inputs;   // DRAM addresses of the input streams (at least one)
    std::vector<uint64_t> outputs;  // of the output streams (none: a reduction, its result stays on chip)
    std::vector<StreamOp> ops;      // the instructions; empty: ops_per_element stand-ins
    int ops_per_element = 1;        // stand-in vector operations on every element
    Precision precision = Precision::Fp32;
    // Per output stream, where given: its element precision (a Convert's), else `precision`;
    // and its stride in elements, else 1 (2 or more: a column of records, e.g. the biases in
    // a layer's channel parameters).
    std::vector<Precision> output_precisions;
    std::vector<int64_t> output_strides;

    Precision output_precision(size_t s) const {
        return s < output_precisions.size() ? output_precisions[s] : precision;
    }
    int64_t output_stride(size_t s) const { return s < output_strides.size() ? output_strides[s] : 1; }
};

// Elements per tile: the whole stream, halved until every stream's tile fits its double-buffered
// slots. Throws CompileError when not even one element fits.
int64_t choose_stream_tile(const NpuConfig& config, const StreamJob& job);

// Appends the job's instructions (tensor ids: the outputs are 0 .. outputs - 1).
void lower_stream(const NpuConfig& config, const StreamJob& job, ProgramBuilder& builder);

// A stream reduced tile by tile to the tiles' means (GlobalAvgPool), stored at `means` as one
// value per tile (tensor id 0): a driver's check that every element is finite. Returns the tile count.
int64_t lower_stream_means(const NpuConfig& config, uint64_t input, int64_t elements, uint64_t means,
                           Precision precision, ProgramBuilder& builder);

}  // namespace npu

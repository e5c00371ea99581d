#include "arch/isa.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "arch/npu_config.h"

namespace npu {

bool parse_dataflow(const std::string& name, Dataflow& dataflow) {
    for (Dataflow d : {Dataflow::WeightStationary, Dataflow::OutputStationary, Dataflow::InputStationary})
        if (name == dataflow_name(d)) {
            dataflow = d;
            return true;
        }
    return false;
}

const char* dataflow_name(Dataflow d) {
    switch (d) {
        case Dataflow::WeightStationary: return "ws";
        case Dataflow::OutputStationary: return "os";
        case Dataflow::InputStationary: return "is";
    }
    return "?";
}

const char* sparsity_name(ArraySparsity s) {
    switch (s) {
        case ArraySparsity::None: return "none";
        case ArraySparsity::NM: return "nm";
        case ArraySparsity::ZeroGate: return "zero_gate";
        case ArraySparsity::ZeroSkip: return "zero_skip";
    }
    return "?";
}

bool parse_sparsity(const std::string& name, ArraySparsity& sparsity) {
    for (ArraySparsity s : {ArraySparsity::None, ArraySparsity::NM, ArraySparsity::ZeroGate, ArraySparsity::ZeroSkip})
        if (name == sparsity_name(s)) {
            sparsity = s;
            return true;
        }
    return false;
}

std::string sparsity_dataflow_error(ArraySparsity sparsity, Dataflow dataflow) {
    if (dataflow != Dataflow::InputStationary || (sparsity != ArraySparsity::NM && sparsity != ArraySparsity::ZeroSkip))
        return "";
    return fmt::format(
        "sparsity {} needs dataflow ws or os: is keeps inputs stationary and streams each filter whole, so "
        "there is no row of weights to compress or skip",
        sparsity_name(sparsity));
}

bool NpuConfig::supports(Precision p) const {
    for (Precision q : precisions)
        if (q == p) return true;
    return false;
}

namespace isa {

const char* buffer_name(Buffer b) {
    switch (b) {
        case Buffer::Unified: return "unified";
        case Buffer::Ifmap: return "ifmap";
        case Buffer::Weight: return "weight";
        case Buffer::Output: return "output";
        case Buffer::Accumulator: return "accumulator";
    }
    return "?";
}

const char* vector_op_name(VectorOp op) {
    switch (op) {
        case VectorOp::Requantize: return "requantize";
        case VectorOp::MaxPool: return "maxpool";
        case VectorOp::AvgPool: return "avgpool";
        case VectorOp::GlobalAvgPool: return "global_avgpool";
        case VectorOp::Add: return "add";
        case VectorOp::Clamp: return "clamp";
        case VectorOp::Softmax: return "softmax";
        case VectorOp::Affine: return "affine";
        case VectorOp::Copy: return "copy";
        case VectorOp::Axpby: return "axpby";
        case VectorOp::ClampGrad: return "clamp_grad";
        case VectorOp::AxpbySquare: return "axpby_square";
        case VectorOp::SqrtShift: return "sqrt_shift";
        case VectorOp::Divide: return "divide";
        case VectorOp::MaxPoolGrad: return "maxpool_grad";
        case VectorOp::AvgPoolGrad: return "avgpool_grad";
        case VectorOp::ChannelStats: return "channel_stats";
        case VectorOp::BatchNormSums: return "batchnorm_sums";
        case VectorOp::BatchNormGrad: return "batchnorm_grad";
        case VectorOp::Convert: return "convert";
        case VectorOp::Im2col: return "im2col";
        case VectorOp::Col2im: return "col2im";
        case VectorOp::Unary: return "unary";
        case VectorOp::Mul: return "mul";
        case VectorOp::LayerNorm: return "layer_norm";
    }
    return "?";
}

bool reads_second_input(VectorOp op) {
    return op == VectorOp::Add || op == VectorOp::Mul || op == VectorOp::Axpby || op == VectorOp::ClampGrad ||
           op == VectorOp::AxpbySquare || op == VectorOp::Divide || op == VectorOp::MaxPoolGrad ||
           op == VectorOp::BatchNormSums || op == VectorOp::BatchNormGrad;
}

bool reads_params(VectorOp op) {
    return op == VectorOp::Requantize || op == VectorOp::Affine || op == VectorOp::BatchNormSums ||
           op == VectorOp::BatchNormGrad || op == VectorOp::LayerNorm;
}

const char* queue_name(Queue q) {
    switch (q) {
        case Queue::Load: return "dma_load";
        case Queue::Store: return "dma_store";
        case Queue::Array: return "systolic_array";
        case Queue::Vector: return "vector_unit";
    }
    return "?";
}

Gemm Gemm::matrix(const MatrixOperand& a, const MatrixOperand& b, Region accumulator, bool accumulate) {
    if (a.cols != b.rows)
        throw std::logic_error("matrix GEMM: A has " + std::to_string(a.cols) + " columns, B " +
                               std::to_string(b.rows) + " rows");
    Gemm g;
    g.form = GemmForm::Matrix;
    g.a = a;
    g.b = b;
    g.filters = b.cols;  // N, as the conv form names it
    g.accumulator = accumulator;
    g.accumulate = accumulate;
    return g;
}

std::vector<int64_t> layer_instruction_counts(const Program& program) {
    if (program.streamed()) return program.streamed_layer_instructions;
    std::vector<int64_t> counts(size_t(std::max(program.layers, 0)), 0);
    for (const Instruction& in : program.instructions) ++counts.at(size_t(in.layer));
    return counts;
}

int64_t instruction_count(const Program& program) {
    int64_t total = 0;
    for (int64_t n : layer_instruction_counts(program)) total += n;
    return total;
}

}  // namespace isa
}  // namespace npu

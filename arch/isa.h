#pragma once
// The NPU instruction set: the contract between sim/compiler (which writes programs) and the
// hardware model in arch/ (which executes them). Instructions go to one of four queues (DMA
// load, DMA store, systolic array, vector unit) and run in order within their queue; ordering
// across queues comes only from explicit dependencies on earlier instructions.
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "common/op_attributes.h"
#include "kernels/numerics/int8.h"
#include "kernels/numerics/precision.h"

namespace npu::isa {

enum class Buffer { Unified, Ifmap, Weight, Output, Accumulator };
const char* buffer_name(Buffer b);

// A byte range in one on-chip buffer (accumulator: entries of 4 bytes, offset in entries).
struct Region {
    Buffer buffer = Buffer::Unified;
    int64_t offset = 0;
    int64_t size = 0;
};

// A box of a 4-D row-major tensor in DRAM; on chip it is stored densely in the same order.
struct DramBox {
    uint64_t base = 0;  // byte address of element [0,0,0,0]
    int64_t element_bytes = 1;
    std::array<int64_t, 4> dims{1, 1, 1, 1};
    std::array<int64_t, 4> start{0, 0, 0, 0};
    std::array<int64_t, 4> extent{1, 1, 1, 1};

    int64_t elements() const { return extent[0] * extent[1] * extent[2] * extent[3]; }
    int64_t bytes() const { return elements() * element_bytes; }
};

// A tensor kept on chip (sim/compiler/residency_plan.h) has an address outside the DRAM: the top
// bit set, the buffer it lives in, and its byte offset there. The DMA moves such boxes between
// that buffer and a tile slot without touching the DRAM.
constexpr uint64_t kOnChipBit = uint64_t(1) << 63;
constexpr int kOnChipBufferShift = 56;
constexpr uint64_t kOnChipOffsetMask = (uint64_t(1) << kOnChipBufferShift) - 1;
inline uint64_t onchip_address(Buffer buffer, int64_t offset) {
    return kOnChipBit | (uint64_t(buffer) << kOnChipBufferShift) | uint64_t(offset);
}
inline bool is_onchip(uint64_t address) { return (address & kOnChipBit) != 0; }
inline Buffer onchip_buffer(uint64_t address) { return Buffer((address & ~kOnChipBit) >> kOnChipBufferShift); }
inline int64_t onchip_offset(uint64_t address) { return int64_t(address & kOnChipOffsetMask); }

// DRAM -> SRAM (load queue) or SRAM -> DRAM (store queue); either end of `dram` may be an
// on-chip address (a resident tensor).
// `packed` (element_bytes 0: none) is the DRAM side as stored when it differs from the values
// the SRAM receives: N:M-compressed weights with their metadata (nm arrays). The DMA then moves
// packed's bytes (timing, traffic, energy) and fills `sram` with the dense values of `dram`, the
// functional image the datapath reads.
struct Transfer {
    DramBox dram;
    Region sram;
    DramBox packed{0, 0};

    bool is_packed() const { return packed.element_bytes > 0; }
    const DramBox& moved() const { return is_packed() ? packed : dram; }  // what the DRAM serves
};

// Where a GEMM's input tile sits: the loaded box of the input tensor, in tensor coordinates
// (n, c, h, w), stored densely at `region`. Cells outside the tensor are zero padding, never
// loaded.
struct InputTile {
    Region region;
    std::array<int64_t, 4> start{0, 0, 0, 0};
    std::array<int64_t, 4> extent{1, 1, 1, 1};
    int64_t tensor_h = 1, tensor_w = 1;
};

// A matrix operand in SRAM: element (r, c) of the rows x cols operand is stored at element
// r * row_stride + c * col_stride of `region`. A row-major matrix has strides (cols, 1); its
// transpose, read in place, has strides (1, cols of the stored matrix).
struct MatrixOperand {
    Region region;
    int64_t rows = 1, cols = 1;
    int64_t row_stride = 1, col_stride = 1;  // in elements

    int64_t at(int64_t r, int64_t c) const { return r * row_stride + c * col_stride; }
    static MatrixOperand row_major(Region region, int64_t rows, int64_t cols) { return {region, rows, cols, cols, 1}; }
    // The transpose of a stored row-major `stored_rows` x `stored_cols` matrix.
    static MatrixOperand transposed(Region region, int64_t stored_rows, int64_t stored_cols) {
        return {region, stored_cols, stored_rows, 1, stored_cols};
    }
};

// The two shapes of a GEMM instruction. ConvWindow: one buffer tile of a convolution (or fully
// connected layer) as `groups` independent GEMMs: for each group j: C[m][f] (+)= sum_k A[m][k] *
// B[k][f], where m runs over the output box (n, oh, ow), k over (channel, r, s) of `channels`
// input channels, f over `filters`. Matrix: one GEMM C[m][n] (+)= sum_k A[m][k] * B[k][n] of two
// strided matrix operands (`a`, `b`), which expresses the backward passes: the weight gradient
// dW = im2col(X)^T * dY and the data gradient dX = dY * W^T (then col2im). The timing sees only
// M, K and N, so both forms cost the same for the same dimensions.
enum class GemmForm { ConvWindow, Matrix };

struct Gemm {
    GemmForm form = GemmForm::ConvWindow;
    MatrixOperand a, b;  // Matrix form: A is M x K, B is K x N
    InputTile input;
    Window2d window;
    std::array<int64_t, 3> out_start{0, 0, 0};   // n, oh, ow of the output box
    std::array<int64_t, 3> out_extent{1, 1, 1};  // its size: M = product
    int64_t groups = 1;
    int64_t channels = 1;  // per group, K = channels * kh * kw
    int64_t filters = 1;   // per group, N
    // Channel of the input box where group j's channels start: channel_base + j * channel_step.
    int64_t channel_base = 0;
    int64_t channel_step = 0;
    Region weights;  // [groups][filters][channels][kh][kw], dense
    // First output channel of the tile: an annotation for checks and traces (the hardware reads
    // only the regions).
    int64_t out_channel0 = 0;
    Region accumulator;       // [groups][M][filters] entries
    bool accumulate = false;  // add onto the partial sums already there
    // Operand precision of this instruction; the partial sums are int32 (INT8) or fp32 (FP16,
    // FP32). Any precision the design lists, instruction by instruction.
    Precision precision = Precision::Int8;
    // Asymmetric INT8 (imported models): the feeders subtract these from every operand read
    // from SRAM; padding stays 0.
    int32_t input_zero_point = 0;
    int32_t weight_zero_point = 0;
    // Set on nm arrays for N:M-pruned weights: the array maps them compressed, weight_nm.kept_rows
    // of K on its rows (the compiler cuts K at multiples of m), with ceil(log2 m) bits of metadata
    // per kept value. `weights` still holds the dense values.
    NmPattern weight_nm;

    int64_t m() const { return form == GemmForm::Matrix ? a.rows : out_extent[0] * out_extent[1] * out_extent[2]; }
    int64_t k() const { return form == GemmForm::Matrix ? a.cols : channels * window.kernel_h * window.kernel_w; }
    int64_t n() const { return filters; }  // N of both forms (Gemm::matrix sets it to b.cols)
    int64_t macs() const { return groups * m() * k() * n(); }
    int64_t mapped_k() const { return weight_nm.kept_rows(k()); }  // K rows the array maps
    // Where the streamed (A) and stationary-side (B) operands are read from.
    const Region& a_region() const { return form == GemmForm::Matrix ? a.region : input.region; }
    const Region& b_region() const { return form == GemmForm::Matrix ? b.region : weights; }

    // A Matrix-form GEMM into `accumulator` ([M][N] entries); A's cols must equal B's rows.
    static Gemm matrix(const MatrixOperand& a, const MatrixOperand& b, Region accumulator, bool accumulate);
};

// Clamp: relu, relu6, clip; Affine: a standalone batchnorm (per-channel scale and shift);
// Copy: moves a tile, rescaling INT8 values (concat of tensors with different scales);
// Axpby: dst = alpha src + beta src2 on float tiles, computed in double and rounded once (the
// optimizer update: momentum, weight decay, the step); AxpbySquare: dst = alpha src + beta src2^2
// (Adam's second moment); SqrtShift: dst = sqrt(alpha src) + beta; Divide: dst = src / src2 (all
// three computed in double, rounded once); Convert: dst = src rounded once (to nearest, ties to
// even) to `convert_to`, the training update's compute-precision weights from its FP32 master
// values; Im2col: the im2col rows of a box of whole planes (src_extent: 1 x channels x H x W,
// `window`) for the weight-gradient GEMM: dst [channel][r][s][oh][ow] (dst_extent: 1 x
// channels * kh * kw (+ 1) x oh x ow), padding 0, then a row of ones where dst_extent asks for
// one more row (the bias gradient's); Col2im, its adjoint: d loss / d input planes (dst, FP32
// whatever the precision, zeroed first) from those rows (src), each cell summed in FP32 over
// (r, s, oh, ow) in that order (the CPU trainer's col2im); ClampGrad: dst = src2 where clamp_min < src <
// clamp_max, else 0 (the gradient of relu, relu6 and clip); MaxPoolGrad, AvgPoolGrad: a pool's
// gradient over whole planes: src is d loss / d output (src_extent), dst d loss / d input
// (dst_extent), MaxPoolGrad's src2 the pool's input (each output's gradient goes to the first
// largest cell of its window), AvgPoolGrad's shares it over the window's cells; ChannelStats:
// batchnorm's batch statistics of a box of whole channels (src_extent: N x channels x H x W),
// per channel the mean then 1 / sqrt(biased variance + beta), summed in double, written as FP32
// (2 x channels values: the means, then the inverse deviations) whatever the precision;
// BatchNormSums: per channel of the box of x (src) and dz (src2), with {mean, 1 / std} records
// (params, kChannelParamBytes each), the sums of dz and of dz xhat in double (dst: 16 bytes per
// channel); BatchNormGrad: dx from x, dz and kBatchNormGradParamBytes records {double sum dz,
// double sum dz xhat, float mean, float 1 / std, float gamma} (the CPU trainer's formula).
// How Requantize turns an accumulator into an output: npusim's integer multiplier and shift
// (round half up), ONNX's float scale with round half to even and a zero point (imported
// QLinear layers), or no requantization at all: the int32 sums (imported ConvInteger).
enum class RequantRule { Multiplier, OnnxFloat, Int32 };

enum class VectorOp {
    Requantize,
    MaxPool,
    AvgPool,
    GlobalAvgPool,
    Add,
    Clamp,
    Softmax,
    Affine,
    Copy,
    Axpby,
    ClampGrad,
    AxpbySquare,
    SqrtShift,
    Divide,
    MaxPoolGrad,
    AvgPoolGrad,
    ChannelStats,
    BatchNormSums,
    BatchNormGrad,
    Convert,
    Im2col,
    Col2im,
    Unary,     // sigmoid, hard sigmoid, tanh, GELU: INT8 through `unary_table`, floats in FP32
    Mul,       // src x src2; src2 may hold one value per channel (src2_per_channel)
    LayerNorm  // each pixel's channels normalized, then params' {gamma, beta} per channel
};
constexpr int64_t kBatchNormGradParamBytes = 32;
const char* vector_op_name(VectorOp op);
// Add, Axpby, AxpbySquare, Divide, ClampGrad, MaxPoolGrad and the batchnorm gradients read
// src2; Requantize, Affine and the batchnorm gradients read params (the hardware and the
// compiler's hazards both ask this).
bool reads_params(VectorOp op);
bool reads_second_input(VectorOp op);

// Per-output-channel parameters next to a requantized tile: 3 words per channel.
// INT8: {int32 bias, int32 multiplier, int32 shift} (OnnxFloat: {int32 bias, float scale, 0});
// float: {float bias, 0, 0}; a standalone batchnorm (Affine): {float scale, float shift, 0}.
constexpr int64_t kChannelParamBytes = 12;

struct Vector {
    VectorOp op = VectorOp::Clamp;
    Region src;     // Requantize: accumulator [groups][M][filters]; others: input box
    Region src2;    // Add, Axpby, ClampGrad: second input
    Region params;  // Requantize, Affine: one channel record per output channel of the tile
    Region dst;     // output box, dense NCHW
    std::array<int64_t, 4> src_extent{1, 1, 1, 1};  // input box (n, c, h, w)
    std::array<int64_t, 4> dst_extent{1, 1, 1, 1};  // output box (n, c, h, w)
    // Pools: first input row/col of the box in tensor coordinates, for padding.
    int64_t src_h0 = 0, src_w0 = 0, tensor_h = 1, tensor_w = 1;
    int64_t dst_h0 = 0, dst_w0 = 0;
    Window2d window;
    bool count_include_pad = false;
    Activation activation = Activation::None;  // float fused activation
    Int8Clamp clamp;                           // INT8 fused activation, clip and saturation
    float clamp_min = 0.0f, clamp_max = 0.0f;  // float Clamp and ClampGrad bounds
    AddRescale add;
    QuantMultiplier rescale;  // INT8 Copy
    RequantRule rule = RequantRule::Multiplier;
    int32_t out_zero_point = 0;  // OnnxFloat
    SoftmaxAttrs softmax;        // Softmax: axis of the tile's (n, c, h, w) box
    // Element precision of src, src2 and dst (Requantize: of dst; its accumulator source is
    // int32 for INT8, fp32 otherwise).
    Precision precision = Precision::Int8;
    float in_scale = 1.0f;                   // INT8 softmax and layer norm input scale
    float norm_epsilon = 1e-5f;              // LayerNorm
    float norm_out_scale = 1.0f;             // LayerNorm, INT8: the output scale
    double alpha = 1.0, beta = 0.0;          // Axpby, AxpbySquare, SqrtShift
    Precision convert_to = Precision::Fp32;  // Convert: dst's precision (src's is `precision`)
    UnaryAttrs unary;                        // Unary
    // Unary, INT8: the layer's kUnaryTableSize outputs (one table shared by its tiles).
    std::shared_ptr<const std::vector<int8_t>> unary_table;
    QuantMultiplier mul;            // Mul, INT8: s_a * s_b / s_out
    bool src2_per_channel = false;  // Mul: src2 is N x C x 1 x 1 of the tile's channels

    int64_t dst_elements() const { return dst_extent[0] * dst_extent[1] * dst_extent[2] * dst_extent[3]; }
};

enum class Queue { Load, Store, Array, Vector };
const char* queue_name(Queue q);

struct Instruction {
    Queue queue = Queue::Load;
    int32_t layer = 0;          // index of the workload layer it belongs to (stats, traces)
    std::vector<int32_t> deps;  // indices of earlier instructions that must finish first
    std::variant<Transfer, Gemm, Vector> body;

    const Transfer& transfer() const { return std::get<Transfer>(body); }
    const Gemm& gemm() const { return std::get<Gemm>(body); }
    const Vector& vector() const { return std::get<Vector>(body); }
};

// A tensor the program keeps on chip, and the DRAM place that mirrors it in functional runs:
// the DMA copies what it stores there to `dram_address` as well, untimed and uncounted, so the
// output check and read-back see every layer's output after on-chip space was reused.
struct ResidentTensor {
    int32_t layer = 0;  // whose output it is (its stores carry this layer)
    uint64_t onchip_address = 0;
    uint64_t bytes = 0;
    uint64_t dram_address = 0;
};

// A program's instructions by index, held from `first()` on: a streamed program (timing-only
// runs) drops the ones that are done while later ones are still being appended, so its memory
// stays bounded however long it runs. Appending never moves held instructions (a block reads
// its instruction by reference while the compiler appends).
class InstructionWindow {
public:
    // Instructions appended so far, including those released.
    size_t size() const { return m_first + m_held.size(); }
    bool empty() const { return size() == 0; }
    size_t first() const { return m_first; }  // the lowest index still held
    size_t held() const { return m_held.size(); }
    const Instruction& operator[](size_t index) const { return m_held[index - m_first]; }
    Instruction& operator[](size_t index) { return m_held[index - m_first]; }
    const Instruction& back() const { return m_held.back(); }
    void push_back(Instruction instruction) { m_held.push_back(std::move(instruction)); }
    // Drops the held instructions below `index`.
    void release_below(size_t index) {
        for (; m_first < index && !m_held.empty(); ++m_first) m_held.pop_front();
    }
    // The held instructions, in order.
    std::deque<Instruction>::const_iterator begin() const { return m_held.begin(); }
    std::deque<Instruction>::const_iterator end() const { return m_held.end(); }

private:
    std::deque<Instruction> m_held;
    size_t m_first = 0;
};

struct Program {
    InstructionWindow instructions;
    int32_t layers = 0;                    // layer indices run 0 .. layers-1
    uint64_t dram_bytes = 0;               // highest DRAM address used + 1
    std::vector<ResidentTensor> resident;  // sorted by layer
    // A streamed program's instructions per layer (its totals, counted by the compiler before the
    // run); empty for a program that holds every instruction (count those).
    std::vector<int64_t> streamed_layer_instructions;

    bool streamed() const { return !streamed_layer_instructions.empty(); }
};

// Instructions per layer and in all, of a held or a streamed program.
std::vector<int64_t> layer_instruction_counts(const Program& program);
int64_t instruction_count(const Program& program);

}  // namespace npu::isa

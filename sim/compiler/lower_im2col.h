#pragma once
// Lowerings of the layout work around a conv2d's gradient GEMMs, on the vector unit: im2col (a
// group's input X as the weight-gradient GEMM's operand, [channel][r][s] rows by (image, output
// pixel) columns, plus a row of ones for the bias gradient) and col2im (the data-gradient
// GEMM's product folded back into d loss / d X, summed in FP32). Each image's planes go through
// in blocks of channels that fit the buffers: loaded whole (padding stays on chip), one Im2col
// or Col2im instruction, stored as a box of the matrix or of the gradient tensor.
#include <cstdint>

#include "arch/npu_config.h"
#include "kernels/model/conv_geometry.h"
#include "sim/compiler/program_builder.h"

namespace npu {

struct Im2colJob {
    ConvGeometry geometry;  // input.n images
    int64_t group = 0;
    uint64_t x = 0;         // X: N x C x H x W in `precision`
    uint64_t columns = 0;   // im2col matrix: (Kg + ones) x (N * OH * OW), row-major, in `precision`
    bool ones_row = false;  // its last row all ones
    Precision precision = Precision::Fp32;
};

struct Col2imJob {
    ConvGeometry geometry;
    int64_t group = 0;
    uint64_t columns = 0;  // d loss / d im2col: Kg x (N * OH * OW), row-major, in `precision`
    uint64_t dx = 0;       // d loss / d X: N x C x H x W, FP32 (the group's channels written)
    Precision precision = Precision::Fp32;
};

// Channels per block, or 0 when not even one channel's planes fit the buffers.
int64_t im2col_channels(const NpuConfig& config, const Im2colJob& job);
int64_t col2im_channels(const NpuConfig& config, const Col2imJob& job);

// Append the jobs' instructions (tensor id 0: the matrix, or d loss / d X). Throw CompileError
// when no channel fits.
void lower_im2col(const NpuConfig& config, const Im2colJob& job, ProgramBuilder& builder);
void lower_col2im(const NpuConfig& config, const Col2imJob& job, ProgramBuilder& builder);

}  // namespace npu

#pragma once
// What a sparse array sees of a GEMM's operands: which weights of its tile ([groups][filters][K]
// dense in SRAM, as the compiler lays conv and fc weights out) are zero, which K rows of a column
// fold are zero in every column, and how many of the inputs each K row meets are zero (ReLU's
// zeros and padding). Zero is the value zero: an INT8 operand equal to its zero point, a float of
// either sign.
#include <cstdint>
#include <vector>

#include "arch/isa.h"
#include "kernels/numerics/precision.h"

namespace npu {

struct WeightTile {
    const uint8_t* data = nullptr;  // [filters][k] elements of `precision`
    Precision precision = Precision::Int8;
    int32_t zero_point = 0;  // INT8
    int64_t k = 0, filters = 0;

    bool is_zero(int64_t filter, int64_t row) const;
};

// Zero weights of the tile.
int64_t zero_weights(const WeightTile& tile);

// Per K row: the tile's zero weights across its filters.
std::vector<int64_t> zero_weights_per_row(const WeightTile& tile);

// Per K row of one group of a conv-window GEMM: its M inputs (the im2col column the feeders read
// from the input tile) that are zero.
std::vector<int64_t> zero_inputs_per_row(const isa::Gemm& g, int64_t group, const uint8_t* input_tile);

// Per column fold of `cols` filters: the K rows with a nonzero weight in some column of the fold.
std::vector<int64_t> kept_rows_per_column_fold(const WeightTile& tile, int64_t cols);

}  // namespace npu

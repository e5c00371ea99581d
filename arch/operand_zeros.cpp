#include "arch/operand_zeros.h"

#include <cstring>

#include "arch/gemm_datapath.h"

namespace npu {

bool WeightTile::is_zero(int64_t filter, int64_t row) const {
    const int64_t index = filter * k + row;
    switch (precision) {
        case Precision::Int8: return int32_t(int8_t(data[index])) == zero_point;
        case Precision::Fp16:
        case Precision::Bf16: {
            uint16_t bits;
            std::memcpy(&bits, data + 2 * index, 2);
            return (bits & 0x7fffu) == 0;
        }
        case Precision::Fp32: {
            uint32_t bits;
            std::memcpy(&bits, data + 4 * index, 4);
            return (bits & 0x7fffffffu) == 0;
        }
    }
    return false;
}

int64_t zero_weights(const WeightTile& tile) {
    int64_t zeros = 0;
    for (int64_t f = 0; f < tile.filters; ++f)
        for (int64_t r = 0; r < tile.k; ++r) zeros += tile.is_zero(f, r) ? 1 : 0;
    return zeros;
}

std::vector<int64_t> zero_weights_per_row(const WeightTile& tile) {
    std::vector<int64_t> zeros(size_t(tile.k), 0);
    for (int64_t f = 0; f < tile.filters; ++f)
        for (int64_t r = 0; r < tile.k; ++r) zeros[size_t(r)] += tile.is_zero(f, r) ? 1 : 0;
    return zeros;
}

namespace {

template <class T>
std::vector<int64_t> zero_columns(const isa::Gemm& g, int64_t group, const uint8_t* tile) {
    const int64_t m = g.m(), k = g.k();
    std::vector<T> a(size_t(m * k));
    gather_a(g, group, tile, g.precision, a.data());  // INT8: zero point subtracted
    std::vector<int64_t> zeros(size_t(k), 0);
    for (int64_t i = 0; i < m; ++i)
        for (int64_t r = 0; r < k; ++r) zeros[size_t(r)] += a[size_t(i * k + r)] == T(0) ? 1 : 0;
    return zeros;
}

}  // namespace

std::vector<int64_t> zero_inputs_per_row(const isa::Gemm& g, int64_t group, const uint8_t* tile) {
    return g.precision == Precision::Int8 ? zero_columns<int32_t>(g, group, tile) : zero_columns<float>(g, group, tile);
}

std::vector<int64_t> kept_rows_per_column_fold(const WeightTile& tile, int64_t cols) {
    std::vector<int64_t> kept;
    for (int64_t f0 = 0; f0 < tile.filters; f0 += cols) {
        const int64_t f1 = f0 + cols < tile.filters ? f0 + cols : tile.filters;
        int64_t rows = 0;
        for (int64_t r = 0; r < tile.k; ++r)
            for (int64_t f = f0; f < f1; ++f)
                if (!tile.is_zero(f, r)) {
                    ++rows;
                    break;
                }
        kept.push_back(rows);
    }
    return kept;
}

}  // namespace npu

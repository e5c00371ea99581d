#pragma once
// A design's order of sums (kernels/train/gemm_order.h) as its compiler and array produce it:
// a conv2d's or fc's forward GEMM in the conv tiler's channel blocks, a matrix GEMM in the
// matrix tiler's K tiles, each tile in folds of the array's rows (ws, is) or one fold (os).
#include "arch/npu_config.h"
#include "kernels/train/gemm_order.h"

namespace npu {

class NpuGemmOrder : public GemmOrder {
public:
    // `precision`: the GEMMs' operand format (it sizes the tiles).
    NpuGemmOrder(const NpuConfig& config, Precision precision) : m_config(config), m_precision(precision) {}
    SumOrder layer_forward(const Layer& layer, const Shape& input) const override;
    SumOrder matrix(int64_t m, int64_t k, int64_t n) const override;

private:
    NpuConfig m_config;
    Precision m_precision;
};

}  // namespace npu

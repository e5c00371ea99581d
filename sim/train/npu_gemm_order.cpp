#include "sim/train/npu_gemm_order.h"

#include "arch/gemm_datapath.h"
#include "sim/compiler/conv_tiler.h"
#include "sim/compiler/lower_matrix.h"

namespace npu {

SumOrder NpuGemmOrder::layer_forward(const Layer& layer, const Shape& input) const {
    const ConvGeometry g = ConvGeometry::from_layer(layer, input);
    const ConvTiling t = choose_conv_tiling(g, m_config, m_precision, int64_t(element_bytes(m_precision)), layer.name);
    return {t.channels * g.window.kernel_h * g.window.kernel_w, accumulation_fold(m_config.dataflow, m_config.rows)};
}

SumOrder NpuGemmOrder::matrix(int64_t m, int64_t k, int64_t n) const {
    MatrixGemmJob job;
    job.precision = m_precision;
    job.a = {0, m, k, false, 0};
    job.b = {0, k, n, false, 1};
    return {choose_matrix_tiling(m_config, job).k, accumulation_fold(m_config.dataflow, m_config.rows)};
}

}  // namespace npu

#pragma once
// The reference trainer in an NPU's order of sums. FP32 addition is not associative, so two
// correct trainers that add in different orders differ in the last bits after the first GEMM,
// and training amplifies those bits step by step until the runs follow different (equally good)
// trajectories. Told a design's order (its array's fold and its compiler's K tiles, sim/train/
// npu_gemm_order.h), the reference adds every GEMM in that order, computes the loss gradient
// with the vector unit's softmax and arithmetic, and rounds where the NPU stores: a whole run
// then reproduces the NPU's bit for bit. Without an order the reference uses Eigen's blocked
// GEMMs, image by image (train_conv_ops.cpp): the independent oracle.
#include "kernels/numerics/fold_gemm.h"
#include "kernels/train/gemm_backward.h"
#include "kernels/train/loss.h"

namespace npu {

class GemmOrder {
public:
    virtual ~GemmOrder() = default;
    // A conv2d's or fc layer's forward GEMM (per group, K = input channels per group x kh x kw)
    // on `input`, the layer's input shape at the micro-batch.
    virtual SumOrder layer_forward(const Layer& layer, const Shape& input) const = 0;
    // A matrix GEMM C (m x n) = op(A) op(B) with K = k inner.
    virtual SumOrder matrix(int64_t m, int64_t k, int64_t n) const = 0;
};

// Backward GEMMs on the host in `order`: operands and product stored in the compute precision.
class OrderedMultiplier : public MatrixMultiplier {
public:
    OrderedMultiplier(const GemmOrder& order, TrainPrecision precision) : m_order(order), m_precision(precision) {}
    HostMatrix multiply(GradientGemm gemm, int layer, const HostMatrix& a, bool transpose_a, const HostMatrix& b,
                        bool transpose_b) override;

private:
    const GemmOrder& m_order;
    TrainPrecision m_precision;
};

// Y[m][n] = A[m][k] B[k][n] of row-major dense operands in `order`.
std::vector<float> ordered_product(const std::vector<float>& a, const std::vector<float>& b, int64_t m, int64_t k,
                                   int64_t n, const SumOrder& order);

// Softmax cross-entropy as the NPU computes its gradient: the vector unit's softmax of the
// logits stored in `precision`, then p * s - onehot * s (s = scale / batch) in the vector unit's
// arithmetic, stored in `precision`. The loss and the hits as softmax_cross_entropy reports them.
LossResult softmax_cross_entropy_vector(const std::vector<float>& logits, const int32_t* labels, int64_t batch,
                                        int64_t classes, float scale, TrainPrecision precision);

}  // namespace npu

#include "kernels/train/gemm_order.h"

#include "kernels/numerics/element.h"
#include "kernels/numerics/vector_math.h"

namespace npu {
namespace {

// op(M) as a dense row-major matrix, each value stored in the compute precision.
std::vector<float> dense(const HostMatrix& m, bool transpose, TrainPrecision p) {
    std::vector<float> out(m.values.size());
    for (int64_t r = 0; r < m.rows; ++r)
        for (int64_t c = 0; c < m.cols; ++c) {
            const float v = round_compute(m.values[size_t(r * m.cols + c)], p);
            out[size_t(transpose ? c * m.rows + r : r * m.cols + c)] = v;
        }
    return out;
}

}  // namespace

std::vector<float> ordered_product(const std::vector<float>& a, const std::vector<float>& b, int64_t m, int64_t k,
                                   int64_t n, const SumOrder& order) {
    std::vector<float> c(size_t(m * n));
    ordered_gemm(a.data(), b.data(), c.data(), m, k, n, order);
    return c;
}

HostMatrix OrderedMultiplier::multiply(GradientGemm, int, const HostMatrix& a, bool transpose_a, const HostMatrix& b,
                                       bool transpose_b) {
    const int64_t m = transpose_a ? a.cols : a.rows, k = transpose_a ? a.rows : a.cols;
    const int64_t n = transpose_b ? b.rows : b.cols;
    HostMatrix c{m, n,
                 ordered_product(dense(a, transpose_a, m_precision), dense(b, transpose_b, m_precision), m, k, n,
                                 m_order.matrix(m, k, n))};
    for (float& v : c.values) v = round_compute(v, m_precision);
    return c;
}

LossResult softmax_cross_entropy_vector(const std::vector<float>& logits, const int32_t* labels, int64_t batch,
                                        int64_t classes, float scale, TrainPrecision precision) {
    LossResult r = softmax_cross_entropy(logits, labels, batch, classes, scale);
    const Precision p = storage_precision(precision);
    const std::vector<uint8_t> in = encode_reals(logits, p);
    std::vector<uint8_t> out(in.size());
    for (int64_t n = 0; n < batch; ++n) softmax_real(in.data(), out.data(), n * classes, classes, 1, p);
    const std::vector<float> probabilities = decode_reals(out, logits.size(), p);
    // The NPU's Axpby: alpha * p + beta * onehot in double, rounded to FP32, then stored.
    const double s = double(scale) / double(batch);
    for (int64_t n = 0; n < batch; ++n)
        for (int64_t k = 0; k < classes; ++k) {
            const size_t i = size_t(n * classes + k);
            const double onehot = k == labels[n] ? 1.0 : 0.0;
            r.dlogits[i] = round_compute(float(s * double(probabilities[i]) + -s * onehot), precision);
        }
    return r;
}

}  // namespace npu

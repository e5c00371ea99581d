#include "kernels/train/loss.h"

#include <algorithm>
#include <cmath>

namespace npu {

LossResult softmax_cross_entropy(const std::vector<float>& logits, const int32_t* labels, int64_t batch,
                                 int64_t classes, float scale) {
    LossResult r;
    r.dlogits.resize(logits.size());
    for (int64_t n = 0; n < batch; ++n) {
        const float* z = logits.data() + n * classes;
        const int64_t best = std::max_element(z, z + classes) - z;
        r.correct += best == labels[n] ? 1 : 0;
        double sum = 0.0;  // softmax with the largest logit subtracted, so exp never overflows
        for (int64_t k = 0; k < classes; ++k) sum += std::exp(double(z[k]) - z[best]);
        r.loss += -(double(z[labels[n]]) - z[best] - std::log(sum));
        for (int64_t k = 0; k < classes; ++k) {
            const double p = std::exp(double(z[k]) - z[best]) / sum;
            r.dlogits[size_t(n * classes + k)] = float((p - (k == labels[n] ? 1.0 : 0.0)) / double(batch) * scale);
        }
    }
    r.loss /= double(batch);
    return r;
}

}  // namespace npu

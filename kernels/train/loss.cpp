#include "kernels/train/loss.h"

#include "kernels/train/loss_row.h"

namespace npu {

LossResult softmax_cross_entropy(const std::vector<float>& logits, const int32_t* labels, int64_t batch,
                                 int64_t classes, float scale) {
    LossResult r;
    r.dlogits.resize(logits.size());
    for (int64_t n = 0; n < batch; ++n) {
        const LossRow row = softmax_cross_entropy_row(logits.data() + n * classes, classes, labels[n], batch, scale,
                                                      r.dlogits.data() + n * classes);
        r.correct += row.correct ? 1 : 0;
        r.loss += row.loss;
    }
    r.loss /= double(batch);
    return r;
}

}  // namespace npu

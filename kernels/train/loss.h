#pragma once
// Softmax cross-entropy, the loss of classification training, in FP32.
#include <cstdint>
#include <vector>

namespace npu {

struct LossResult {
    double loss = 0.0;           // mean over the batch of -log softmax(z)[label]
    int64_t correct = 0;         // images whose largest logit is their label
    std::vector<float> dlogits;  // d loss / d z = (softmax(z) - onehot(label)) / batch, times `scale`
};

// logits: batch x classes, row-major. `scale` multiplies the gradient (loss scaling).
LossResult softmax_cross_entropy(const std::vector<float>& logits, const int32_t* labels, int64_t batch,
                                 int64_t classes, float scale = 1.0f);

}  // namespace npu

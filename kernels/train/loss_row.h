#pragma once
// One image's softmax cross-entropy (loss.h), shared with the GPU's loss kernel (NPU_HD): the
// largest logit subtracted so that exp never overflows, exp and log in binary64.
#include <cmath>
#include <cstdint>

#include "common/op_attributes.h"
#include "kernels/numerics/host_device.h"

namespace npu {

struct LossRow {
    double loss = 0.0;  // -log softmax(z)[label]
    bool correct = false;
};

// z: the image's `classes` logits; writes its `classes` gradients (softmax - onehot) / batch *
// scale to dz.
NPU_HD inline LossRow softmax_cross_entropy_row(const float* z, int64_t classes, int32_t label, int64_t batch,
                                                float scale, float* dz) {
    int64_t best = 0;  // the first largest, as std::max_element
    for (int64_t k = 1; k < classes; ++k) best = z[k] > z[best] ? k : best;
    double sum = 0.0;
    for (int64_t k = 0; k < classes; ++k) sum += exp(double(z[k]) - z[best]);
    LossRow r;
    r.correct = best == label;
    r.loss = -(double(z[label]) - z[best] - log(sum));
    for (int64_t k = 0; k < classes; ++k) {
        const double p = exp(double(z[k]) - z[best]) / sum;
        dz[k] = float((p - (k == label ? 1.0 : 0.0)) / double(batch) * scale);
    }
    return r;
}

// d loss / d z of a fused activation from its output y and d loss / d y.
NPU_HD inline float fused_activation_grad(float y, float dy, Activation a) {
    if (a == Activation::Relu) return y > 0.0f ? dy : 0.0f;
    if (a == Activation::Relu6) return y > 0.0f && y < 6.0f ? dy : 0.0f;
    return dy;
}

}  // namespace npu

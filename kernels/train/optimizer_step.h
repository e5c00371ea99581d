#pragma once
// One parameter's optimizer update, the arithmetic of optimizer.cpp shared with the GPU's update
// kernel (NPU_HD): each step computed in binary64 and rounded to FP32, as the NPU's vector unit
// runs it (Axpby, AxpbySquare, SqrtShift, Divide), with one rounding per operation on either
// side (mul_rn, add_rn), so the host, the NPU and the GPU agree bit for bit.
#include <cmath>

#include "kernels/numerics/host_device.h"

namespace npu {

struct SgdStep {
    double momentum = 0.9, weight_decay = 0.0, lr = 0.01;
};

// g += wd w (when wd != 0); m = momentum m + g; w -= lr m.
NPU_HD inline void sgd_element(float& w, float g, float& m, const SgdStep& s) {
    const float decayed = s.weight_decay != 0.0 ? float(add_rn(double(g), mul_rn(s.weight_decay, double(w)))) : g;
    m = float(add_rn(mul_rn(s.momentum, double(m)), double(decayed)));
    w = float(add_rn(double(w), -mul_rn(s.lr, double(m))));
}

struct AdamStep {
    double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weight_decay = 0.0;
    double inverse_correct2 = 1.0;  // 1 / (1 - beta2^t)
    double step = 0.0;              // lr / (1 - beta1^t)
};

// Weight decay, first moment, second moment, the denominator sqrt(v / c2) + eps, the ratio
// m / denominator, the step.
NPU_HD inline void adam_element(float& w, float g, float& m, float& v, const AdamStep& s) {
    const float gi = s.weight_decay != 0.0 ? float(add_rn(double(g), mul_rn(s.weight_decay, double(w)))) : g;
    m = float(add_rn(mul_rn(s.beta1, double(m)), mul_rn(1.0 - s.beta1, double(gi))));
    v = float(add_rn(mul_rn(s.beta2, double(v)), mul_rn(mul_rn(1.0 - s.beta2, double(gi)), double(gi))));
    const float denominator = float(add_rn(sqrt(mul_rn(s.inverse_correct2, double(v))), s.epsilon));
    const float ratio = float(double(m) / double(denominator));
    w = float(add_rn(double(w), -mul_rn(s.step, double(ratio))));
}

}  // namespace npu

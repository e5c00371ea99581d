// Batchnorm in training mode (Ioffe & Szegedy 2015): per channel, over the batch and the pixels,
// y = act(gamma * (x - mean) / sqrt(var + eps) + beta) with the batch's mean and (biased) variance;
// evaluation uses the running averages instead. The backward pass is the standard one:
// dx = gamma / sqrt(var + eps) / m * (m dz - sum(dz) - xhat sum(dz xhat)) over the m values of a channel.
#include <cmath>

#include "kernels/train/train_op_parts.h"

namespace npu {
namespace {

// Calls f(index) for every value of channel `c` of an NCHW tensor, batch by batch.
template <class F>
void for_channel(const Shape& s, int64_t c, F f) {
    const int64_t pixels = s.h * s.w;
    for (int64_t n = 0; n < s.n; ++n) {
        const int64_t base = (n * s.c + c) * pixels;
        for (int64_t k = 0; k < pixels; ++k) f(size_t(base + k));
    }
}

void batchnorm_forward(const TrainCall& c) {
    const Shape s = c.in_shape();
    c.out().resize(c.in().size());
    std::vector<float>& stats = c.t.batch_stats[size_t(c.index)];
    if (c.training) {
        stats = batchnorm_batch_stats(c.in(), s);
    } else {  // the running averages
        stats.resize(size_t(2 * s.c));
        for (int64_t ch = 0; ch < s.c; ++ch) {
            stats[size_t(ch)] = c.params.running_mean[size_t(ch)];
            stats[size_t(s.c + ch)] = 1.0f / std::sqrt(c.params.running_var[size_t(ch)] + kBatchNormEps);
        }
    }
    for (int64_t ch = 0; ch < s.c; ++ch) {
        const float mean = stats[size_t(ch)], inv_std = stats[size_t(s.c + ch)];
        const float gamma = c.params.weight[size_t(ch)], beta = c.params.bias[size_t(ch)];
        // In an NPU's order: its driver's folded scale and shift, its vector unit's affine step.
        const float scale = gamma * inv_std, shift = beta - mean * scale;
        for_channel(s, ch, [&](size_t i) {
            const float z = c.order ? c.in()[i] * scale + shift : gamma * (c.in()[i] - mean) * inv_std + beta;
            c.out()[i] = c.round(apply_activation(z, c.layer().activation));
        });
    }
}

void batchnorm_backward(const TrainCall& c) {
    const Shape s = c.in_shape();
    const std::vector<float>& stats = c.t.batch_stats[size_t(c.index)];
    const double m = double(s.n * s.h * s.w);
    std::vector<float> dx(c.in().size());
    for (int64_t ch = 0; ch < s.c; ++ch) {
        const float mean = stats[size_t(ch)], inv_std = stats[size_t(s.c + ch)];
        const float gamma = c.params.weight[size_t(ch)];
        auto dz = [&](size_t i) { return activation_grad(c.out()[i], c.grad()[i], c.layer().activation); };
        double sum_dz = 0.0, sum_dz_xhat = 0.0;
        for_channel(s, ch, [&](size_t i) {
            sum_dz += dz(i);
            sum_dz_xhat += double(dz(i)) * (c.in()[i] - mean) * inv_std;
        });
        c.grads.weight[size_t(ch)] += float(sum_dz_xhat);
        c.grads.bias[size_t(ch)] += float(sum_dz);
        for_channel(s, ch, [&](size_t i) {
            const double xhat = (c.in()[i] - mean) * inv_std;
            dx[i] = float(gamma * inv_std / m * (m * dz(i) - sum_dz - xhat * sum_dz_xhat));
        });
    }
    add_rounded(c.in_grad(), dx, c.precision);
}

}  // namespace

std::vector<float> batchnorm_batch_stats(const std::vector<float>& x, const Shape& s) {
    std::vector<float> stats(size_t(2 * s.c));
    const double m = double(s.n * s.h * s.w);
    for (int64_t c = 0; c < s.c; ++c) {
        double sum = 0.0, squares = 0.0;
        for_channel(s, c, [&](size_t i) { sum += x[i]; });
        const double mean = sum / m;
        for_channel(s, c, [&](size_t i) { squares += (x[i] - mean) * (x[i] - mean); });
        stats[size_t(c)] = float(mean);
        stats[size_t(s.c + c)] = float(1.0 / std::sqrt(squares / m + kBatchNormEps));
    }
    return stats;
}

TrainOp train_batchnorm_op() { return {LayerKind::BatchNorm, batchnorm_forward, batchnorm_backward}; }

}  // namespace npu

#include "kernels/train/optimizer.h"

#include <cmath>

namespace npu {

const char* optimizer_name(OptimizerKind k) { return k == OptimizerKind::Adam ? "adam" : "sgd"; }

bool parse_optimizer(const std::string& name, OptimizerKind& out) {
    if (name == "sgd")
        out = OptimizerKind::Sgd;
    else if (name == "adam")
        out = OptimizerKind::Adam;
    else
        return false;
    return true;
}

bool parse_schedule(const std::string& name, LrSchedule& out) {
    if (name == "constant")
        out = LrSchedule::Constant;
    else if (name == "step")
        out = LrSchedule::Step;
    else if (name == "cosine")
        out = LrSchedule::Cosine;
    else
        return false;
    return true;
}

namespace {

std::vector<LayerParams> zeros_like(const std::vector<LayerParams>& shapes) {
    std::vector<LayerParams> out(shapes.size());
    for (size_t i = 0; i < shapes.size(); ++i) {
        out[i].weight.assign(shapes[i].weight.size(), 0.0f);
        out[i].bias.assign(shapes[i].bias.size(), 0.0f);
    }
    return out;
}

}  // namespace

Optimizer::Optimizer(const OptimizerConfig& config, const std::vector<LayerParams>& shapes)
    : m_config(config), m_first(zeros_like(shapes)) {
    if (config.kind == OptimizerKind::Adam) m_second = zeros_like(shapes);
}

double Optimizer::lr_at(int64_t update) const {
    const OptimizerConfig& c = m_config;
    if (c.schedule == LrSchedule::Step)
        return c.lr * std::pow(c.gamma, double(update / std::max<int64_t>(1, c.step_every)));
    if (c.schedule == LrSchedule::Cosine) {
        const double t = std::min(1.0, double(update) / double(std::max<int64_t>(1, c.total_steps)));
        return c.lr * 0.5 * (1.0 + std::cos(M_PI * t));
    }
    return c.lr;
}

void Optimizer::apply_one(std::vector<float>& w, const std::vector<float>& g, std::vector<float>& m,
                          std::vector<float>* second, double lr, int64_t update) const {
    const OptimizerConfig& c = m_config;
    if (c.kind == OptimizerKind::Sgd) {
        // Three steps, each computed in double and rounded to FP32, as the NPU's vector unit runs
        // them (Axpby): the weight decay, the momentum, the step. The two agree bit for bit.
        for (size_t i = 0; i < w.size(); ++i) {
            const float decayed = c.weight_decay != 0.0 ? float(g[i] + c.weight_decay * w[i]) : g[i];
            m[i] = float(c.momentum * m[i] + decayed);
            w[i] = float(w[i] - lr * m[i]);
        }
        return;
    }
    // Adam in the NPU's steps, each computed in double and rounded to FP32 (Axpby, AxpbySquare,
    // SqrtShift, Divide, Axpby): weight decay, first moment, second moment, the denominator
    // sqrt(v / c2) + eps, the ratio m / denominator, the step of lr / c1. The two agree bit for bit.
    std::vector<float>& v = *second;
    const double t = double(update + 1);
    const double correct1 = 1.0 - std::pow(c.beta1, t), correct2 = 1.0 - std::pow(c.beta2, t);
    for (size_t i = 0; i < w.size(); ++i) {
        const float gi = c.weight_decay != 0.0 ? float(g[i] + c.weight_decay * w[i]) : g[i];
        m[i] = float(c.beta1 * m[i] + (1.0 - c.beta1) * gi);
        v[i] = float(c.beta2 * v[i] + (1.0 - c.beta2) * double(gi) * double(gi));
        const float denominator = float(std::sqrt((1.0 / correct2) * double(v[i])) + c.epsilon);
        const float ratio = float(double(m[i]) / double(denominator));
        w[i] = float(w[i] - (lr / correct1) * ratio);
    }
}

void Optimizer::apply(std::vector<LayerParams>& params, const std::vector<LayerParams>& grads, int64_t update) {
    const double lr = lr_at(update);
    const bool adam = m_config.kind == OptimizerKind::Adam;
    for (size_t i = 0; i < params.size(); ++i) {
        apply_one(params[i].weight, grads[i].weight, m_first[i].weight, adam ? &m_second[i].weight : nullptr, lr,
                  update);
        apply_one(params[i].bias, grads[i].bias, m_first[i].bias, adam ? &m_second[i].bias : nullptr, lr, update);
    }
}

}  // namespace npu

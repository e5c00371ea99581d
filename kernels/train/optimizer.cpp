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

SgdStep Optimizer::sgd_step(double lr) const { return {m_config.momentum, m_config.weight_decay, lr}; }

AdamStep Optimizer::adam_step(double lr, int64_t update) const {
    const OptimizerConfig& c = m_config;
    const double t = double(update + 1);
    const double correct1 = 1.0 - std::pow(c.beta1, t), correct2 = 1.0 - std::pow(c.beta2, t);
    return {c.beta1, c.beta2, c.epsilon, c.weight_decay, 1.0 / correct2, lr / correct1};
}

// optimizer_step.h's arithmetic, element by element (the NPU's vector unit and the GPU's update
// kernel run the same steps: the three agree bit for bit).
void Optimizer::apply_one(std::vector<float>& w, const std::vector<float>& g, std::vector<float>& m,
                          std::vector<float>* second, double lr, int64_t update) const {
    if (m_config.kind == OptimizerKind::Sgd) {
        const SgdStep s = sgd_step(lr);
        for (size_t i = 0; i < w.size(); ++i) sgd_element(w[i], g[i], m[i], s);
        return;
    }
    const AdamStep s = adam_step(lr, update);
    std::vector<float>& v = *second;
    for (size_t i = 0; i < w.size(); ++i) adam_element(w[i], g[i], m[i], v[i], s);
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

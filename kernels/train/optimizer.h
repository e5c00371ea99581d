#pragma once
// Optimizers over FP32 master parameters: SGD with momentum and weight decay (the PyTorch form:
// v = momentum * v + g + wd * w; w -= lr * v) and Adam (Kingma & Ba 2015, arXiv:1412.6980, with
// L2 weight decay added to the gradient), under a constant, step or cosine learning rate.
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/train/optimizer_step.h"

#include "kernels/train/train_model.h"

namespace npu {

enum class OptimizerKind { Sgd, Adam };
enum class LrSchedule { Constant, Step, Cosine };

struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::Sgd;
    double lr = 0.01;
    double momentum = 0.9;
    double weight_decay = 0.0;
    double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
    LrSchedule schedule = LrSchedule::Constant;
    int64_t step_every = 1;  // Step: lr *= gamma every step_every updates
    double gamma = 0.1;
    int64_t total_steps = 1;  // Cosine: lr * (1 + cos(pi * t / total)) / 2
};

const char* optimizer_name(OptimizerKind k);
bool parse_optimizer(const std::string& name, OptimizerKind& out);
bool parse_schedule(const std::string& name, LrSchedule& out);

class Optimizer {
public:
    Optimizer(const OptimizerConfig& config, const std::vector<LayerParams>& shapes);

    double lr_at(int64_t update) const;  // update counts from 0
    // The per-element constants of update `update` at learning rate `lr` (optimizer_step.h).
    SgdStep sgd_step(double lr) const;
    AdamStep adam_step(double lr, int64_t update) const;
    // One update of `params` by `grads` (both FP32); `update` is the number of earlier updates.
    void apply(std::vector<LayerParams>& params, const std::vector<LayerParams>& grads, int64_t update);
    // FP32 values of optimizer state per parameter (momentum: 1, Adam: 2).
    int state_per_param() const { return m_config.kind == OptimizerKind::Adam ? 2 : 1; }

private:
    // `second`: Adam's second moment (nullptr for SGD).
    void apply_one(std::vector<float>& w, const std::vector<float>& g, std::vector<float>& m,
                   std::vector<float>* second, double lr, int64_t update) const;

    OptimizerConfig m_config;
    std::vector<LayerParams> m_first;   // momentum, or Adam's first moment
    std::vector<LayerParams> m_second;  // Adam's second moment
};

}  // namespace npu

#pragma once
// Dynamic loss scaling for FP16 training (Micikevicius et al. 2018): the loss gradient is
// multiplied by a scale so that small gradients stay representable in binary16; a step whose
// gradients overflow is skipped and the scale halved; after `growth_interval` clean steps the
// scale doubles. Defaults as in PyTorch's GradScaler (2^16, 2000 steps).
#include <cstdint>

namespace npu {

struct LossScalerConfig {
    float initial_scale = 65536.0f;
    int64_t growth_interval = 2000;
    float min_scale = 1.0f;
};

class LossScaler {
public:
    LossScaler(const LossScalerConfig& config, bool enabled)
        : m_config(config), m_scale(enabled ? config.initial_scale : 1.0f), m_enabled(enabled) {}

    float scale() const { return m_scale; }
    bool enabled() const { return m_enabled; }
    // After a step's backward pass: returns whether to apply the update.
    bool update(bool overflow) {
        if (!m_enabled) return !overflow;
        if (overflow) {
            m_scale = m_scale / 2.0f < m_config.min_scale ? m_config.min_scale : m_scale / 2.0f;
            m_clean_steps = 0;
            return false;
        }
        if (++m_clean_steps >= m_config.growth_interval) {
            m_scale *= 2.0f;
            m_clean_steps = 0;
        }
        return true;
    }

private:
    LossScalerConfig m_config;
    float m_scale;
    bool m_enabled;
    int64_t m_clean_steps = 0;
};

}  // namespace npu

#include "sim/train/step_ledger.h"

namespace npu {

const char* train_phase_name(TrainPhase phase) {
    static const char* const names[kTrainPhaseCount] = {"forward", "data gradients", "weight gradients", "update"};
    return names[size_t(phase)];
}

void StepLedger::book(TrainPhase phase, int layer, const ProgramTotals& t, int64_t programs) {
    m_phase[size_t(phase)] += t;
    if (layer >= 0) {
        if (size_t(layer) >= m_layers.size()) m_layers.resize(size_t(layer) + 1);
        m_layers[size_t(layer)][size_t(phase)] += t;
    }
    m_programs += programs;
}

void StepLedger::add(const StepLedger& other) {
    for (int p = 0; p < kTrainPhaseCount; ++p) m_phase[size_t(p)] += other.m_phase[size_t(p)];
    if (other.m_layers.size() > m_layers.size()) m_layers.resize(other.m_layers.size());
    for (size_t i = 0; i < other.m_layers.size(); ++i)
        for (int p = 0; p < kTrainPhaseCount; ++p) m_layers[i][size_t(p)] += other.m_layers[i][size_t(p)];
    m_programs += other.m_programs;
}

const char* train_phase_key(TrainPhase phase) {
    static const char* const keys[kTrainPhaseCount] = {"forward", "data_gradients", "weight_gradients", "update"};
    return keys[size_t(phase)];
}

ProgramTotals StepLedger::total() const {
    ProgramTotals sum;
    for (const ProgramTotals& t : m_phase) sum += t;
    return sum;
}

}  // namespace npu

#pragma once
// Where a training step's simulated time, energy and DRAM traffic went: every program a step
// runs (the forward program, the gradient GEMMs, the element-wise passes) is booked under its
// phase and the graph layer it works for.
#include <array>
#include <vector>

#include "sim/runtime/run_result.h"

namespace npu {

// The phases of a step. Forward: the forward program, batchnorm's batch statistics, the loss.
// DataGradient: d loss / d activations (the data-gradient GEMMs, the element-wise backward
// ops). WeightGradient: d loss / d parameters (the weight-gradient GEMMs, bias and batchnorm
// parameter sums, accumulation over micro-batches). Update: the optimizer on the master weights.
enum class TrainPhase { Forward, DataGradient, WeightGradient, Update };
constexpr int kTrainPhaseCount = 4;
const char* train_phase_name(TrainPhase phase);  // "data gradients"
const char* train_phase_key(TrainPhase phase);   // "data_gradients" (JSON)

class StepLedger {
public:
    using PhaseTotals = std::array<ProgramTotals, kTrainPhaseCount>;

    // `programs`: how many programs `t` counts (0 for a further layer of a booked program).
    void book(TrainPhase phase, int layer, const ProgramTotals& t, int64_t programs = 1);
    // Everything `other` booked, once more.
    void add(const StepLedger& other);

    const ProgramTotals& phase(TrainPhase p) const { return m_phase[size_t(p)]; }
    ProgramTotals total() const;
    // Per graph layer (indices the books were made under), by phase.
    const std::vector<PhaseTotals>& layers() const { return m_layers; }
    int64_t programs() const { return m_programs; }

private:
    PhaseTotals m_phase{};
    std::vector<PhaseTotals> m_layers;
    int64_t m_programs = 0;
};

}  // namespace npu

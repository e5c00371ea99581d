#include "kernels/train/footprint.h"

#include "workloads/model_loader.h"

namespace npu {

int64_t TrainingFootprint::total_bytes() const {
    int64_t sum = 0;
    for (const FootprintItem& i : items) sum += i.bytes;
    return sum;
}

int64_t TrainingFootprint::per_micro_batch_bytes() const {
    int64_t sum = 0;
    for (const FootprintItem& i : items) sum += i.per_micro_batch ? i.bytes : 0;
    return sum;
}

TrainingFootprint training_footprint(const CpuTrainer& trainer) {
    const TrainerConfig& c = trainer.config();
    const int64_t compute_bytes = c.precision == TrainPrecision::Fp32 ? 4 : 2;
    int64_t params = 0, activations = 0;
    for (const LayerParams& p : trainer.master()) params += int64_t(p.size());
    Graph g = trainer.graph();
    reshape_input(g, c.micro_batch);
    for (const Layer& l : g.layers) activations += l.output.elements();  // at batch = micro_batch
    const bool mixed = c.precision != TrainPrecision::Fp32;
    const int state = c.optimizer.kind == OptimizerKind::Adam ? 2 : 1;
    TrainingFootprint f;
    f.items = {
        {"weights (compute precision)", params * compute_bytes, "DRAM"},
        {"master weights (fp32)", mixed ? params * 4 : 0, "DRAM"},
        {"optimizer state (fp32)", params * 4 * state, "DRAM"},
        {"saved activations (per micro-batch)", activations * compute_bytes, "DRAM", true},
        {"activation gradients (per micro-batch)", activations * compute_bytes, "DRAM", true},
        {"weight gradients (fp32, accumulated)", params * 4, "DRAM"},
    };
    return f;
}

}  // namespace npu

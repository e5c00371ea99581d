#include "arch/scalesim_timing.h"

namespace npu {

ScaleSimFolds scalesim_folds(Dataflow dataflow, GemmDims g, ArrayShape a) {
    ScaleSimFolds f;
    switch (dataflow) {
        case Dataflow::OutputStationary:
            f = {g.m, g.n, g.k, 0, 0};
            f.cycles_per_fold = g.k + a.rows + a.cols - 2;
            break;
        case Dataflow::WeightStationary:
            f = {g.k, g.n, g.m, 0, 0};
            f.cycles_per_fold = g.m + 2 * a.rows + a.cols - 2;
            break;
        case Dataflow::InputStationary:
            f = {g.k, g.m, g.n, 0, 0};
            f.cycles_per_fold = g.n + 2 * a.rows + a.cols - 2;
            break;
    }
    f.folds = ((f.rows + a.rows - 1) / a.rows) * ((f.cols + a.cols - 1) / a.cols);
    return f;
}

int64_t scalesim_layer_cycles(Dataflow dataflow, GemmDims g, ArrayShape a) {
    if (g.macs() == 0) return 0;
    const ScaleSimFolds f = scalesim_folds(dataflow, g, a);
    return f.folds * f.cycles_per_fold - 1;
}

}  // namespace npu

#pragma once
// SCALE-Sim v2's compute cycles with ideal memory (InterfaceBandwidth CALC, no stalls), as its
// paper (Samajdar et al., arXiv 1811.02883) and code (systolic_compute_{os,ws,is}.py) define
// them, so that a SCALE-Sim user sees their old numbers before npusim's own model:
//   a layer is a GEMM: M = output pixels, K = window (Fh x Fw x C), N = filters;
//   os maps (M rows, N cols) and streams K; ws maps (K, N), streams M; is maps (K, M), streams N;
//   folds = ceil(rows / R) x ceil(cols / C), each padded to the full array, not overlapped;
//   cycles per fold: os K + R + C - 2, ws M + 2R + C - 2, is N + 2R + C - 2;
//   a layer takes folds x per-fold - 1 cycles; a network the sum of its layers.
#include <cstdint>

#include "arch/npu_config.h"
#include "arch/systolic_timing.h"

namespace npu {

struct ScaleSimFolds {
    int64_t rows = 0, cols = 0, streamed = 0;  // the mapped dimensions and the streamed one
    int64_t folds = 0;
    int64_t cycles_per_fold = 0;
};

ScaleSimFolds scalesim_folds(Dataflow dataflow, GemmDims gemm, ArrayShape array);
int64_t scalesim_layer_cycles(Dataflow dataflow, GemmDims gemm, ArrayShape array);

}  // namespace npu

#pragma once
// `--timing-model scalesim`: every conv/fc layer timed by SCALE-Sim v2's ideal-memory formula
// (arch/scalesim_timing.h), no memory system, no vector work. Output sizes follow SCALE-Sim:
// ceil((H_padded - F + S) / S); a grouped conv counts as `groups` layers; batch multiplies M.
#include "arch/npu_config.h"
#include "arch/systolic_timing.h"
#include "sim/runtime/run_result.h"
#include "workloads/ir/graph.h"

namespace npu {

RunResult run_scalesim_model(const Graph& inference_graph, const NpuConfig& config, Precision precision);

// The GEMM SCALE-Sim would see for one group of a conv/fc layer.
GemmDims scalesim_gemm(const Graph& graph, int layer);

}  // namespace npu

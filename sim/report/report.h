#pragma once
// Renderings of a run: a readable per-layer table with totals, JSON, CSV, and a Chrome trace
// (opens in Perfetto / chrome://tracing) of the blocks' busy intervals.
#include <ostream>
#include <string>

#include "arch/trace_recorder.h"
#include "common/file_text.h"  // write_file
#include "sim/runtime/run_result.h"

namespace npu {

void print_table(std::ostream& out, const RunResult& r);
// The conv/fc layers' tilings: what the compiler chose, its estimate against the simulated
// cycles, and why (run --tiling).
void print_tilings(std::ostream& out, const RunResult& r);
std::string to_json(const RunResult& r);
std::string to_csv(const RunResult& r);
std::string to_chrome_trace(const RunResult& r, const TraceRecorder& trace);

}  // namespace npu

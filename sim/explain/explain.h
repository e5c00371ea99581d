#pragma once
// npusim explain: one layer's GEMM run through the cycle-exact PE grid, cycle by cycle, for
// teaching. Records every PE's registers every cycle, and the outputs as they leave the array;
// renders them as text, as a self-contained HTML animation, and (through SystemC's sc_trace) as
// a VCD waveform.
#include <cstdint>
#include <string>
#include <vector>

#include "arch/pe_array.h"
#include "kernels/model/prepared_model.h"

namespace npu {

// The GEMM of one conv/fc layer (group 0, whole layer) with its operand values.
struct ExplainProblem {
    std::string layer;
    GemmDims dims;
    std::vector<double> a;         // M x K: im2col rows, one per output pixel
    std::vector<double> b;         // K x N: weights
    int64_t out_h = 1, out_w = 1;  // output pixels form out_h x out_w (per image)
    bool integer = true;           // INT8 values (printed as integers)
};

// Builds the problem from a quantized model's layer (INT8: the int8 values; FP16: the binary16
// values). Throws UsageError if the layer is not a conv/fc layer or is too large to show.
ExplainProblem explain_problem(const QuantModel& model, int layer, int64_t max_macs);

struct CycleRecord {
    int64_t cycle;
    std::string phase;
    int64_t fold, row_base, col_base, rows_used, cols_used;
    std::vector<double> horizontal, vertical, stationary, shadow;
    std::vector<uint8_t> horizontal_valid, vertical_valid, stationary_valid, shadow_valid;
    std::vector<int64_t> horizontal_tag, vertical_tag;
    std::vector<PeOutput> outputs;  // results that left the array during this cycle
};

struct ExplainLog {
    Dataflow dataflow;
    int64_t rows = 0, cols = 0;
    std::vector<CycleRecord> cycles;
    std::vector<double> result;  // C[M][N] at the end
    std::string write_error;     // the VCD or its save file could not be written ("" if it was)
};

// The GTKWave save file written beside a VCD: wave.vcd -> wave.gtkw, other names + ".gtkw".
std::string gtkwave_save_path(const std::string& vcd_path);

// Runs the problem on the grid, recording every cycle; with a VCD path, also writes a waveform
// of every PE register with SystemC's sc_trace (one elaboration: call once per process) and
// its GTKWave save file; a failed write is reported in write_error, not thrown (try_write_file).

ExplainLog run_explain(const ExplainProblem& p, Dataflow dataflow, ArrayShape shape, double clock_mhz,
                       const std::string& vcd_path);

std::string explain_text(const ExplainProblem& p, const ExplainLog& log);
std::string explain_html(const ExplainProblem& p, const ExplainLog& log, const std::string& title);

}  // namespace npu

#pragma once
// The detailed (cycle-exact) model of the systolic array: a grid of PE registers stepped one
// clock at a time. Every cycle each operand and partial sum moves one PE, each PE does at most
// one MAC, and fill, steady state and drain happen as data movement, not as formulas. It is the
// ground truth the fast formulas of systolic_timing are tested against, and the engine of the
// teaching views (npusim explain). Vectorized over PEs: registers are flat arrays, one pass
// per cycle, no process or signal per PE.
//
// Protocols (R x C array; a fold uses rows_used x cols_used PEs):
//   ws / is ("stream" engine): the stationary matrix S (ws: weights K x N; is: inputs K x M) is
//     preloaded into shadow registers one row per cycle, shifted down from the top (rows_used
//     cycles; hidden behind the previous fold except for the first). At the fold start every PE
//     switches to its shadow value. Streamed vector s (ws: input pixel m; is: filter n) enters
//     row k at the left edge at cycle s + k, moves right one PE per cycle; partial sums start
//     at 0 above row 0, move down one PE per cycle, add h x w in used rows and pass through the
//     rest, and leave the bottom row into the accumulator.
//   os: A[m][k] enters row i at cycle k + i from the left, B[k][n] enters column j at cycle
//     k + j from the top; a PE multiplies the pair it receives and adds into its own register.
//     When all MACs of a fold are done the results move (all at once, when the drain
//     registers are free) into drain registers that shift down one row per cycle into the
//     accumulator (R cycles) while the next fold computes.
#include <cstdint>
#include <vector>

#include "arch/npu_config.h"
#include "arch/systolic_timing.h"

namespace npu {

// One clock of the array, for observers (teaching views, traces, tests). Arrays are row-major
// R x C. "horizontal" moves right, "vertical" moves down, "stationary" stays:
//   ws: horizontal = input activations, vertical = partial sums, stationary = weights;
//   is: horizontal = weights,           vertical = partial sums, stationary = inputs;
//   os: horizontal = A (inputs),        vertical = B (weights),  stationary = accumulating outputs.
// Tags say which element a register holds: ws/is horizontal and vertical: stream index s
// (ws: output pixel m; is: filter n); os horizontal and vertical: reduction index k.
struct PeCycle {
    int64_t cycle = 0;       // index of the clock just completed, from 0
    const char* phase = "";  // "preload", "compute", "drain", "stall"
    int64_t rows = 0, cols = 0;
    int64_t fold = 0;                    // index of the fold being computed
    int64_t row_base = 0, col_base = 0;  // fold origin in the GEMM (stationary coordinates)
    int64_t rows_used = 0, cols_used = 0;
    const double* horizontal = nullptr;
    const uint8_t* horizontal_valid = nullptr;
    const int64_t* horizontal_tag = nullptr;
    const double* vertical = nullptr;
    const uint8_t* vertical_valid = nullptr;
    const int64_t* vertical_tag = nullptr;
    const double* stationary = nullptr;
    const uint8_t* stationary_valid = nullptr;
    const double* shadow = nullptr;  // ws/is: preload registers; os: drain registers
    const uint8_t* shadow_valid = nullptr;
};

// A result leaving the array into the accumulator: output row m, column n of C[M][N].
struct PeOutput {
    int64_t cycle;
    int64_t m;
    int64_t n;
    double value;  // the fold's partial (ws, is) or complete (os) sum
};

class PeObserver {
public:
    virtual ~PeObserver() = default;
    virtual void on_cycle(const PeCycle& state) = 0;
    virtual void on_output(const PeOutput& out) = 0;
};

class PeArray {
public:
    PeArray(Dataflow dataflow, ArrayShape shape);

    // C[M][N] (+)= A[M][K] * B[K][N] (row-major), one fold after another in the order of
    // systolic_timing (column folds outer). `accumulate`: add onto acc, else overwrite it with
    // the first fold's contribution. Returns the cycles from the first preload or operand to
    // the last result leaving the array. T: int32_t (INT8 runs) or float (FP16 runs).
    template <class T>
    int64_t run(GemmDims dims, const T* a, const T* b, T* acc, bool accumulate, PeObserver* observer = nullptr);

    // PE register updates done so far (R x C per cycle), for the speed benchmark.
    int64_t pe_updates() const { return m_pe_updates; }

private:
    template <class T>
    int64_t run_stream(GemmDims dims, const T* a, const T* b, T* acc, bool accumulate, PeObserver* observer);
    template <class T>
    int64_t run_output_stationary(GemmDims dims, const T* a, const T* b, T* acc, bool accumulate, PeObserver* observer);

    Dataflow m_dataflow;
    ArrayShape m_shape;
    int64_t m_pe_updates = 0;
};

}  // namespace npu

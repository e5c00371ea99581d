#pragma once
// A training step's own programs on the simulated NPU, beyond the forward program: matrix GEMMs
// (the weight and data gradients: a driver writes the operands into the NPU's DRAM, runs one
// program per GEMM, sim/compiler/lower_matrix, and reads the product back) and element-wise
// passes (vector_passes.h, timed only). The NPU stays elaborated across calls; every program is
// booked in a StepLedger under the phase and layer set by at().
#include <cstdint>
#include <functional>
#include <vector>

#include "kernels/train/gemm_backward.h"
#include "sim/compiler/lower_matrix.h"
#include "sim/compiler/lower_stream.h"
#include "sim/runtime/simulation.h"
#include "sim/train/step_ledger.h"
#include "sim/train/vector_passes.h"

namespace npu {

class NpuPrograms : public MatrixMultiplier {
public:
    // `precision`: of the GEMM operands and products and of the activation streams (fp32, fp16
    // or bf16), on a design listing it.
    NpuPrograms(Simulation& simulation, Precision precision);

    // What the next programs are booked under.
    void at(TrainPhase phase, int layer) { m_phase = phase, m_layer = layer; }

    // op(A) op(B), op = transpose where asked: A and B are given as stored.
    HostMatrix multiply(const HostMatrix& a, bool transpose_a, const HostMatrix& b, bool transpose_b);
    // The same, booked under `layer`'s weight- or data-gradient phase; an operand that is the
    // layer's weights (HostMatrix::weight_offset) is read where they are resident, if they are.
    HostMatrix multiply(GradientGemm gemm, int layer, const HostMatrix& a, bool transpose_a, const HostMatrix& b,
                        bool transpose_b) override;
    // Layer `layer`'s weights are in DRAM at `address` in the compute precision, kept there
    // across steps (by the update's compute copies); 0 forgets them.
    void set_resident_weights(int layer, uint64_t address);
    // Where `m` already is in DRAM (layer's resident weights, HostMatrix::weight_offset), or 0.
    uint64_t resident_address(int layer, const HostMatrix& m) const;
    // A GEMM over operands the caller placed (its product stays in DRAM), booked under the
    // phase and layer set by at().
    void run_gemm(const MatrixGemmJob& job);
    // The DRAM scratch area, at least `bytes` long, reused by every later program of the step
    // (GEMM operands and products, element-wise streams): valid until the next call.
    uint64_t scratch(uint64_t bytes);
    // The same GEMM's time alone (timing-only simulations: no values move).
    void time_gemm(int64_t m, int64_t k, int64_t n, bool transpose_a, bool transpose_b);
    // An element-wise pass, booked under its own phase and layer; the values stay on the host.
    void time_pass(const VectorPass& pass);
    // A driver's round trip for one program over host values: `inputs` written to the NPU's DRAM
    // in the compute precision, `build` appends the program given their addresses and that of an
    // `output_elements` output (in the compute precision, or FP32), which is read back. Booked
    // under `phase` and `layer`.
    using BuildProgram = std::function<void(const std::vector<uint64_t>& inputs, uint64_t output, ProgramBuilder&)>;
    std::vector<float> round_trip(TrainPhase phase, int layer, const std::vector<const std::vector<float>*>& inputs,
                                  int64_t output_elements, const BuildProgram& build, bool fp32_output = false);
    // A program the caller built, booked under `phase` and `layer`.
    void run_program(TrainPhase phase, int layer, const isa::Program& program, Precision precision) {
        at(phase, layer);
        run(program, precision);
    }
    // Element-wise jobs over streams the caller placed, as one program booked under `phase` and
    // `layer` (functional simulations compute them).
    void run_streams(TrainPhase phase, int layer, const std::vector<StreamJob>& jobs);
    // Element-wise instructions `ops` over host values as a driver runs them: the input streams
    // written to the NPU's DRAM in the compute precision, one program run and booked, `outputs`
    // streams read back.
    std::vector<std::vector<float>> compute(TrainPhase phase, int layer,
                                            const std::vector<const std::vector<float>*>& inputs, int outputs,
                                            const std::vector<StreamOp>& ops);
    // Books a program the caller ran itself (the forward program's layers).
    void book(TrainPhase phase, int layer, const ProgramTotals& t, int64_t programs) {
        m_ledger.book(phase, layer, t, programs);
    }
    // Forgets the DRAM scratch area (after Simulation::release_dram).
    void reset() { m_scratch = m_scratch_bytes = 0; }

    const StepLedger& ledger() const { return m_ledger; }
    Precision precision() const { return m_precision; }
    const NpuConfig& config() const { return m_sim.config(); }
    int64_t programs() const { return m_ledger.programs(); }
    double simulated_ns() const { return m_ledger.total().ns; }
    int64_t macs() const { return m_ledger.total().macs; }

private:
    MatrixGemmJob place(int64_t m, int64_t k, int64_t n, bool transpose_a, bool transpose_b);
    void run(const isa::Program& program, Precision precision);
    HostMatrix multiply_at(const HostMatrix& a, bool transpose_a, uint64_t a_at, const HostMatrix& b, bool transpose_b,
                           uint64_t b_at);

    Simulation& m_sim;
    Precision m_precision;
    uint64_t m_scratch = 0, m_scratch_bytes = 0;  // reused DRAM for operands and products
    TrainPhase m_phase = TrainPhase::WeightGradient;
    int m_layer = -1;
    StepLedger m_ledger;
    std::vector<uint64_t> m_resident;  // per layer: its resident weights' address, 0: none
};

}  // namespace npu

#pragma once
// Training GEMMs on the simulated NPU: a driver writes the operands into the NPU's DRAM, runs
// one program per GEMM (sim/compiler/lower_matrix), and reads the product back, as a training
// step does for its weight and data gradients. The NPU stays elaborated across calls.
#include <array>
#include <cstdint>
#include <vector>

#include "kernels/train/training_device.h"
#include "sim/compiler/lower_matrix.h"
#include "sim/runtime/simulation.h"

namespace npu {

struct HostMatrix {
    int64_t rows = 0, cols = 0;
    std::vector<float> values;  // row-major
};

// Which phase of a training step the GEMMs run for (their simulated time is summed per phase).
enum class GemmPhase { WeightGradient, DataGradient };

class NpuGemm {
public:
    // `precision`: of the operands and the product (fp32, fp16 or bf16), on a design listing it.
    NpuGemm(Simulation& simulation, Precision precision);

    // op(A) op(B), op = transpose where asked: A and B are given as stored.
    HostMatrix multiply(const HostMatrix& a, bool transpose_a, const HostMatrix& b, bool transpose_b);

    // The same GEMM's time alone (timing-only simulations: no values move); returns its ns.
    double time_only(int64_t m, int64_t k, int64_t n, bool transpose_a, bool transpose_b);
    // Forgets the DRAM scratch area (after Simulation::release_dram).
    void reset() { m_scratch = m_scratch_bytes = 0; }

    int64_t programs() const { return m_programs; }
    double simulated_ns() const { return m_ns; }  // of every program so far
    void set_phase(GemmPhase phase) { m_phase = phase; }
    double simulated_ns(GemmPhase phase) const { return m_phase_ns[size_t(phase)]; }
    int64_t macs() const { return m_macs; }

private:
    uint64_t scratch(uint64_t bytes);
    MatrixGemmJob place(int64_t m, int64_t k, int64_t n, bool transpose_a, bool transpose_b);
    double run(const MatrixGemmJob& job);

    Simulation& m_sim;
    Precision m_precision;
    uint64_t m_scratch = 0, m_scratch_bytes = 0;  // reused DRAM for operands and products
    int64_t m_programs = 0, m_macs = 0;
    double m_ns = 0.0;
    GemmPhase m_phase = GemmPhase::WeightGradient;
    std::array<double, 2> m_phase_ns{0.0, 0.0};
};

// One GEMM of a layer's backward pass: C (M x N) = op(A) op(B) with K inner, as npu_layer_backward
// runs it (and the timing-only estimate times it).
struct BackwardGemm {
    GemmPhase phase;
    int64_t m, k, n;
    bool transpose_a, transpose_b;
};
// A conv2d's (per group) or fc layer's backward GEMMs, in order: the weight gradient, then the
// data gradient unless the layer reads the graph's input. Empty for other kinds.
std::vector<BackwardGemm> backward_gemms(const Graph& graph, int layer);

// The gradients of one conv2d or fc layer computed on the NPU from what the CPU trainer's pass
// saved: x (the layer's input), dz (d loss / d pre-activation output) and the weights in compute
// precision. The weight and data gradients are NPU GEMMs (dW = dZ col(X)^T, dcol = W^T dZ; fc:
// dW = dZ^T X, dX = dZ W); im2col, col2im and the bias sums stay on the host.
// The input gradient is skipped (left empty) for a layer that reads the graph's input.
LayerGradients npu_layer_backward(NpuGemm& gemm, const Graph& graph, int layer, const std::vector<float>& x,
                                  const std::vector<float>& dz, const LayerParams& params);

}  // namespace npu

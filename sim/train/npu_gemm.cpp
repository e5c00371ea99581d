#include "sim/train/npu_gemm.h"

#include <fmt/format.h>

#include "common/error.h"
#include "kernels/numerics/element.h"
#include "kernels/train/im2col.h"
#include "sim/compiler/lower_matrix.h"

namespace npu {
namespace {

std::vector<uint8_t> to_bytes(const std::vector<float>& values, Precision p) {
    std::vector<uint8_t> bytes(values.size() * element_bytes(p));
    for (size_t i = 0; i < values.size(); ++i) store_real(bytes.data(), int64_t(i), values[i], p);
    return bytes;
}

}  // namespace

NpuGemm::NpuGemm(Simulation& simulation, Precision precision) : m_sim(simulation), m_precision(precision) {
    if (!is_float(precision) || !simulation.config().supports(precision))
        throw UsageError(fmt::format("design '{}' has no {} MACs for training", simulation.config().name,
                                     precision_name(precision)));
}

uint64_t NpuGemm::scratch(uint64_t bytes) {
    if (bytes > m_scratch_bytes) {
        m_scratch_bytes = std::max(bytes, 2 * m_scratch_bytes);
        m_scratch = m_sim.allocate_dram(m_scratch_bytes);
    }
    return m_scratch;
}

MatrixGemmJob NpuGemm::place(int64_t m, int64_t k, int64_t n, bool transpose_a, bool transpose_b) {
    const uint64_t e = element_bytes(m_precision);
    MatrixGemmJob job;
    job.precision = m_precision;
    job.a = {0, m, k, transpose_a, 0};
    job.b = {0, k, n, transpose_b, 1};
    const uint64_t a_bytes = DramAllocator::align(uint64_t(m * k) * e),
                   b_bytes = DramAllocator::align(uint64_t(k * n) * e);
    const uint64_t c_bytes = DramAllocator::align(uint64_t(m * n) * e);
    const uint64_t base = scratch(a_bytes + b_bytes + c_bytes + uint64_t(n) * isa::kChannelParamBytes);
    job.a.address = base;
    job.b.address = base + a_bytes;
    job.c_address = base + a_bytes + b_bytes;
    job.c_tensor = 2;
    job.zero_records = job.c_address + c_bytes;
    return job;
}

double NpuGemm::run(const MatrixGemmJob& job) {
    ProgramBuilder builder(m_precision, 1, 3, Limits{});
    lower_matrix_gemm(m_sim.config(), job, builder);
    const uint64_t n = uint64_t(job.b.cols);
    const double start = m_sim.execute(builder.finish(job.zero_records + n * isa::kChannelParamBytes));
    const double ns = m_sim.now_ns() - start;
    m_ns += ns;
    m_phase_ns[size_t(m_phase)] += ns;
    ++m_programs;
    m_macs += job.a.rows * job.a.cols * job.b.cols;
    return ns;
}

double NpuGemm::time_only(int64_t m, int64_t k, int64_t n, bool transpose_a, bool transpose_b) {
    return run(place(m, k, n, transpose_a, transpose_b));
}

HostMatrix NpuGemm::multiply(const HostMatrix& a, bool transpose_a, const HostMatrix& b, bool transpose_b) {
    const int64_t m = transpose_a ? a.cols : a.rows, k = transpose_a ? a.rows : a.cols;
    const int64_t n = transpose_b ? b.rows : b.cols;
    if ((transpose_b ? b.cols : b.rows) != k)
        throw std::logic_error(fmt::format("NpuGemm: {}x{} times {}x{}", m, k, transpose_b ? b.cols : b.rows, n));
    const MatrixGemmJob job = place(m, k, n, transpose_a, transpose_b);
    m_sim.write_dram(job.a.address, to_bytes(a.values, m_precision));
    m_sim.write_dram(job.b.address, to_bytes(b.values, m_precision));
    m_sim.write_dram(job.zero_records, std::vector<uint8_t>(size_t(n) * isa::kChannelParamBytes, 0));
    run(job);
    const std::vector<uint8_t> c = m_sim.read_dram(job.c_address, uint64_t(m * n) * element_bytes(m_precision));
    HostMatrix out{m, n, std::vector<float>(size_t(m * n))};
    for (size_t i = 0; i < out.values.size(); ++i) out.values[i] = load_real(c.data(), int64_t(i), m_precision);
    return out;
}

namespace {

LayerGradients fc_backward(NpuGemm& gemm, const Shape& in, int64_t outs, const std::vector<float>& x,
                           const std::vector<float>& dz, const LayerParams& p, bool input_gradient) {
    const HostMatrix X{in.n, in.per_image(), x}, dZ{in.n, outs, dz}, W{outs, in.per_image(), p.weight};
    LayerGradients r;
    gemm.set_phase(GemmPhase::WeightGradient);
    r.weight = gemm.multiply(dZ, true, X, false).values;  // O x I
    gemm.set_phase(GemmPhase::DataGradient);
    if (input_gradient) r.input = gemm.multiply(dZ, false, W, false).values;  // N x I
    if (!p.bias.empty()) {
        r.bias.assign(size_t(outs), 0.0f);
        for (int64_t i = 0; i < in.n; ++i)
            for (int64_t o = 0; o < outs; ++o) r.bias[size_t(o)] += dz[size_t(i * outs + o)];
    }
    return r;
}

LayerGradients conv_backward(NpuGemm& gemm, const ConvGeometry& g, const std::vector<float>& x,
                             const std::vector<float>& dz, const LayerParams& p, bool input_gradient) {
    const int64_t fg = g.out_per_group(), kg = g.k_per_group(), pixels = g.output.h * g.output.w, n = g.input.n;
    LayerGradients r;
    r.weight.assign(p.weight.size(), 0.0f);
    if (input_gradient) r.input.assign(size_t(g.input.elements()), 0.0f);
    std::vector<float> col(size_t(kg * pixels));
    for (int64_t group = 0; group < g.groups; ++group) {
        // The batch side by side: dZ_g is Fg x (N P), col(X) is Kc x (N P).
        HostMatrix dZ{fg, n * pixels, std::vector<float>(size_t(fg * n * pixels))};
        HostMatrix cols{kg, n * pixels, std::vector<float>(size_t(kg * n * pixels))};
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t f = 0; f < fg; ++f)
                std::copy_n(dz.begin() + ((i * g.output.c + group * fg + f) * pixels), pixels,
                            dZ.values.begin() + f * n * pixels + i * pixels);
            im2col(x.data() + i * g.input.per_image(), g, group, col.data());
            for (int64_t k = 0; k < kg; ++k)
                std::copy_n(col.begin() + k * pixels, pixels, cols.values.begin() + k * n * pixels + i * pixels);
        }
        const HostMatrix W{
            fg, kg, std::vector<float>(p.weight.begin() + group * fg * kg, p.weight.begin() + (group + 1) * fg * kg)};
        gemm.set_phase(GemmPhase::WeightGradient);
        const HostMatrix dW = gemm.multiply(dZ, false, cols, true);  // Fg x Kc
        std::copy(dW.values.begin(), dW.values.end(), r.weight.begin() + group * fg * kg);
        if (!input_gradient) continue;
        gemm.set_phase(GemmPhase::DataGradient);
        const HostMatrix dcol = gemm.multiply(W, true, dZ, false);  // Kc x (N P)
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t k = 0; k < kg; ++k)
                std::copy_n(dcol.values.begin() + k * n * pixels + i * pixels, pixels, col.begin() + k * pixels);
            col2im(col.data(), g, group, r.input.data() + i * g.input.per_image());
        }
    }
    if (!p.bias.empty()) {
        r.bias.assign(size_t(g.output.c), 0.0f);
        for (int64_t i = 0; i < n; ++i)
            for (int64_t c = 0; c < g.output.c; ++c)
                for (int64_t q = 0; q < pixels; ++q) r.bias[size_t(c)] += dz[size_t((i * g.output.c + c) * pixels + q)];
    }
    return r;
}

}  // namespace

std::vector<BackwardGemm> backward_gemms(const Graph& graph, int layer) {
    const Layer& l = graph.layers[size_t(layer)];
    const bool input_gradient = l.inputs[0] != 0;
    const Shape in = graph.layers[size_t(l.inputs[0])].output;
    std::vector<BackwardGemm> out;
    if (l.kind == LayerKind::FullyConnected) {
        const int64_t n = in.n, features = in.per_image(), outs = l.fc.out_features;
        out.push_back({GemmPhase::WeightGradient, outs, n, features, true, false});                     // dZ^T X
        if (input_gradient) out.push_back({GemmPhase::DataGradient, n, outs, features, false, false});  // dZ W
    } else if (l.kind == LayerKind::Conv2d) {
        const ConvGeometry g = ConvGeometry::from_layer(l, in);
        const int64_t columns = g.input.n * g.output.h * g.output.w;
        for (int64_t group = 0; group < g.groups; ++group) {
            out.push_back({GemmPhase::WeightGradient, g.out_per_group(), columns, g.k_per_group(), false, true});
            if (input_gradient)
                out.push_back({GemmPhase::DataGradient, g.k_per_group(), g.out_per_group(), columns, true, false});
        }
    }
    return out;
}

LayerGradients npu_layer_backward(NpuGemm& gemm, const Graph& graph, int layer, const std::vector<float>& x,
                                  const std::vector<float>& dz, const LayerParams& params) {
    const Layer& l = graph.layers[size_t(layer)];
    const Shape in = graph.layers[size_t(l.inputs[0])].output;
    const bool input_gradient = l.inputs[0] != 0;
    if (l.kind == LayerKind::FullyConnected)
        return fc_backward(gemm, in, l.fc.out_features, x, dz, params, input_gradient);
    if (l.kind == LayerKind::Conv2d)
        return conv_backward(gemm, ConvGeometry::from_layer(l, in), x, dz, params, input_gradient);
    throw std::logic_error(fmt::format("npu_layer_backward: '{}' is a {} layer", l.name, kind_name(l.kind)));
}

}  // namespace npu

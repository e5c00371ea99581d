#include "sim/train/npu_conv_backward.h"

#include "kernels/model/conv_geometry.h"
#include "kernels/numerics/element.h"
#include "sim/compiler/dram_allocator.h"
#include "sim/compiler/lower_im2col.h"

namespace npu {
namespace {

// The layer's tensors in the step's scratch area (the im2col matrix, dZ, the products and W
// per group, reused group by group).
struct ConvArea {
    uint64_t x = 0, columns = 0, dz = 0, dw = 0, dcol = 0, dx = 0, records = 0, w = 0;
};

struct ConvSizes {
    ConvGeometry g;
    int64_t bias = 0, kg = 0, fg = 0, columns = 0;  // columns: N x output pixels
    explicit ConvSizes(const Graph& graph, int layer) {
        const Layer& l = graph.layers[size_t(layer)];
        g = ConvGeometry::from_layer(l, graph.layers[size_t(l.inputs[0])].output);
        bias = l.conv.bias ? 1 : 0;
        kg = g.k_per_group();
        fg = g.out_per_group();
        columns = g.input.n * g.output.h * g.output.w;
    }
};

ConvArea place_area(NpuPrograms& programs, const ConvSizes& s) {
    const int64_t e = int64_t(element_bytes(programs.precision()));
    ConvArea a;
    const std::pair<uint64_t*, int64_t> parts[] = {
        {&a.x, s.g.input.elements() * e},
        {&a.columns, (s.kg + s.bias) * s.columns * e},
        {&a.dz, s.fg * s.columns * e},
        {&a.dw, s.fg * (s.kg + s.bias) * e},
        {&a.dcol, s.kg * s.columns * e},
        {&a.dx, s.g.input.elements() * 4},
        {&a.records, std::max(s.kg + s.bias, s.columns) * isa::kChannelParamBytes},
        {&a.w, s.fg * s.kg * e}};
    uint64_t total = 0;
    for (const auto& [at, bytes] : parts) total += DramAllocator::align(uint64_t(bytes));
    uint64_t next = programs.scratch(total);
    for (const auto& [at, bytes] : parts) {
        *at = next;
        next += DramAllocator::align(uint64_t(bytes));
    }
    return a;
}

MatrixGemmJob gemm_job(const DramMatrix& a, const DramMatrix& b, uint64_t c, uint64_t records, Precision p) {
    MatrixGemmJob job;
    job.a = a;
    job.b = b;
    job.c_address = c;
    job.c_tensor = 2;
    job.zero_records = records;
    job.precision = p;
    return job;
}

Im2colJob im2col_job(const ConvSizes& s, int64_t group, const ConvArea& a, Precision p) {
    return Im2colJob{s.g, group, a.x, a.columns, s.bias == 1, p};
}

Col2imJob col2im_job(const ConvSizes& s, int64_t group, const ConvArea& a, Precision p) {
    return Col2imJob{s.g, group, a.dcol, a.dx, p};
}

template <class Lower>
void run_layout(Simulation& sim, NpuPrograms& programs, TrainPhase phase, int layer, Lower lower) {
    ProgramBuilder builder(programs.precision(), 1, 1, Limits{});
    lower(builder);
    programs.run_program(phase, layer, builder.finish(sim.dram_end()), programs.precision());
}

}  // namespace

bool conv_layout_fits(const NpuConfig& config, const Graph& graph, int layer, Precision precision) {
    const ConvSizes s(graph, layer);
    const ConvArea a;
    const bool input_gradient = graph.layers[size_t(layer)].inputs[0] != 0;
    return im2col_channels(config, im2col_job(s, 0, a, precision)) > 0 &&
           (!input_gradient || col2im_channels(config, col2im_job(s, 0, a, precision)) > 0);
}

LayerGradients npu_conv_backward(Simulation& sim, NpuPrograms& programs, const Graph& graph, int layer,
                                 const std::vector<float>& x, const std::vector<float>& dz, const LayerParams& params) {
    const ConvSizes s(graph, layer);
    const Precision p = programs.precision();
    const bool input_gradient = graph.layers[size_t(layer)].inputs[0] != 0;
    const ConvArea a = place_area(programs, s);
    sim.write_dram(a.x, encode_reals(x, p));
    sim.write_dram(a.records,
                   std::vector<uint8_t>(size_t(std::max(s.kg + s.bias, s.columns)) * isa::kChannelParamBytes, 0));
    LayerGradients r;
    r.weight.assign(params.weight.size(), 0.0f);
    if (s.bias) r.bias.assign(size_t(s.g.output.c), 0.0f);
    for (int64_t group = 0; group < s.g.groups; ++group) {
        const NpuConfig& c = programs.config();
        run_layout(sim, programs, TrainPhase::WeightGradient, layer,
                   [&](ProgramBuilder& b) { lower_im2col(c, im2col_job(s, group, a, p), b); });
        sim.write_dram(a.dz, encode_reals(conv_group_dz(s.g, group, dz).values, p));
        const DramMatrix dz_matrix{a.dz, s.fg, s.columns, false, 0};
        programs.at(TrainPhase::WeightGradient, layer);
        programs.run_gemm(gemm_job(dz_matrix, {a.columns, s.columns, s.kg + s.bias, true, 1}, a.dw, a.records, p));
        const int64_t dw_elements = s.fg * (s.kg + s.bias);
        const HostMatrix dw{
            s.fg, s.kg + s.bias,
            decode_reals(sim.read_dram(a.dw, uint64_t(dw_elements) * element_bytes(p)), size_t(dw_elements), p)};
        unpack_conv_weight_gradient(s.g, group, s.bias == 1, dw, r);
        if (!input_gradient) continue;
        const HostMatrix w = conv_group_weights(s.g, group, params);
        uint64_t w_at = programs.resident_address(layer, w);
        if (w_at == 0) sim.write_dram(w_at = a.w, encode_reals(w.values, p));
        programs.at(TrainPhase::DataGradient, layer);
        programs.run_gemm(
            gemm_job({w_at, s.kg, s.fg, true, 0}, {a.dz, s.fg, s.columns, false, 1}, a.dcol, a.records, p));
        run_layout(sim, programs, TrainPhase::DataGradient, layer,
                   [&](ProgramBuilder& b) { lower_col2im(c, col2im_job(s, group, a, p), b); });
    }
    if (input_gradient)
        r.input = decode_reals(sim.read_dram(a.dx, uint64_t(s.g.input.elements()) * 4), size_t(s.g.input.elements()),
                               Precision::Fp32);
    return r;
}

void time_conv_layout(Simulation& sim, NpuPrograms& programs, const Graph& graph, int layer) {
    const ConvSizes s(graph, layer);
    const Precision p = programs.precision();
    const ConvArea a = place_area(programs, s);
    const NpuConfig& c = programs.config();
    for (int64_t group = 0; group < s.g.groups; ++group) {
        run_layout(sim, programs, TrainPhase::WeightGradient, layer,
                   [&](ProgramBuilder& b) { lower_im2col(c, im2col_job(s, group, a, p), b); });
        if (graph.layers[size_t(layer)].inputs[0] != 0)
            run_layout(sim, programs, TrainPhase::DataGradient, layer,
                       [&](ProgramBuilder& b) { lower_col2im(c, col2im_job(s, group, a, p), b); });
    }
}

}  // namespace npu

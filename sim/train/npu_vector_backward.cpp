#include "sim/train/npu_vector_backward.h"

#include <limits>

#include "sim/compiler/lower_pool_grad.h"

namespace npu {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// The open range an activation's gradient passes in (relu: y > 0, relu6: 0 < y < 6).
std::pair<float, float> pass_range(Activation a) {
    return a == Activation::Relu6 ? std::pair{0.0f, 6.0f} : std::pair{0.0f, kInf};
}

// Several layers add into its gradient.
bool gathers(const Graph& g, int index) { return g.readers(index) > 1; }

StreamOp clamp_grad(int x, int dy, int dst, std::pair<float, float> range) {
    StreamOp op{isa::VectorOp::ClampGrad, x, dy, dst};
    op.lo = range.first;
    op.hi = range.second;
    return op;
}

// relu, relu6, clip: dx = dy where the input is inside the range; into the input's gradient.
bool clamp_backward(NpuPrograms& programs, const Graph& g, int i, PassTensors& pass, std::pair<float, float> range) {
    const int in = g.layers[size_t(i)].inputs[0];
    std::vector<const std::vector<float>*> streams = {&pass.out[size_t(in)], &pass.grad[size_t(i)]};
    std::vector<StreamOp> ops = {clamp_grad(0, 1, 2, range)};  // tiles: x, dy [, g]; out
    if (gathers(g, in)) {
        streams.push_back(&pass.grad[size_t(in)]);
        ops = {clamp_grad(0, 1, 3, range), {isa::VectorOp::Add, 3, 2, 3}};
    }
    pass.grad[size_t(in)] = programs.compute(TrainPhase::DataGradient, i, streams, 1, ops).front();
    return true;
}

// add: dz = act'(y) dy goes to both inputs (added in where an input gathers from other readers).
bool add_backward(NpuPrograms& programs, const Graph& g, int i, PassTensors& pass) {
    const Layer& l = g.layers[size_t(i)];
    const int a = l.inputs[0], b = l.inputs[1];
    if (a == b) return false;  // x + x: the host adds the gradient twice
    const bool fused = l.activation != Activation::None;
    std::vector<const std::vector<float>*> streams = {&pass.grad[size_t(i)]};
    if (fused) streams.push_back(&pass.out[size_t(i)]);
    std::vector<int> targets;  // the inputs whose gradients are sums
    for (int input : {a, b})
        if (gathers(g, input)) targets.push_back(input), streams.push_back(&pass.grad[size_t(input)]);
    const int ins = int(streams.size()), outs = int(targets.size()) + (fused ? 1 : 0);
    std::vector<StreamOp> ops;
    int dz = 0;  // the tile holding dz: dy itself, or the first output
    if (fused) ops.push_back(clamp_grad(1, 0, ins, pass_range(l.activation))), dz = ins;
    for (size_t t = 0; t < targets.size(); ++t)
        ops.push_back({isa::VectorOp::Add, dz, ins - int(targets.size()) + int(t), ins + (fused ? 1 : 0) + int(t)});
    std::vector<std::vector<float>> out;
    if (outs > 0) out = programs.compute(TrainPhase::DataGradient, i, streams, outs, ops);
    const std::vector<float> dz_values = fused ? out.front() : pass.grad[size_t(i)];
    for (int input : {a, b})
        if (!gathers(g, input)) pass.grad[size_t(input)] = dz_values;  // handed on as it is
    for (size_t t = 0; t < targets.size(); ++t) pass.grad[size_t(targets[t])] = out[(fused ? 1 : 0) + t];
    return true;
}

// max, average and global average pools over whole planes, where the input's gradient is the
// pool's alone and a plane fits the buffers.
bool pool_backward(NpuPrograms& programs, const Graph& g, int i, PassTensors& pass) {
    const Layer& l = g.layers[size_t(i)];
    const int in = l.inputs[0];
    if (gathers(g, in)) return false;
    PoolGradJob job;
    job.max = l.kind == LayerKind::MaxPool;
    job.in = g.layers[size_t(in)].output;
    job.out = l.output;
    if (l.kind == LayerKind::GlobalAvgPool) {  // the average of each whole plane
        job.window.kernel_h = job.in.h;
        job.window.kernel_w = job.in.w;
    } else {
        job.window = l.pool.window;
        job.count_include_pad = l.pool.count_include_pad;
    }
    job.precision = programs.precision();
    if (pool_grad_planes(programs.config(), job) == 0) return false;
    std::vector<const std::vector<float>*> inputs = {&pass.grad[size_t(i)]};
    if (job.max) inputs.push_back(&pass.out[size_t(in)]);
    pass.grad[size_t(in)] =
        programs.round_trip(TrainPhase::DataGradient, i, inputs, job.in.elements(),
                            [&](const std::vector<uint64_t>& at, uint64_t out, ProgramBuilder& builder) {
                                job.output_grad = at[0];
                                job.input = job.max ? at[1] : 0;
                                job.input_grad = out;
                                lower_pool_grad(programs.config(), job, builder);
                            });
    return true;
}

}  // namespace

bool npu_vector_backward(NpuPrograms& programs, const Graph& g, int i, PassTensors& pass) {
    const Layer& l = g.layers[size_t(i)];
    switch (l.kind) {
        case LayerKind::Relu: return clamp_backward(programs, g, i, pass, {0.0f, kInf});
        case LayerKind::Relu6: return clamp_backward(programs, g, i, pass, {0.0f, 6.0f});
        case LayerKind::Clip: return clamp_backward(programs, g, i, pass, {l.clip.min, l.clip.max});
        case LayerKind::Add: return add_backward(programs, g, i, pass);
        case LayerKind::MaxPool:
        case LayerKind::AvgPool:
        case LayerKind::GlobalAvgPool: return pool_backward(programs, g, i, pass);
        default: return false;
    }
}

std::vector<float> npu_activation_gradient(NpuPrograms& programs, const Graph& g, int i, const std::vector<float>& y,
                                           const std::vector<float>& dy) {
    const std::pair<float, float> range = pass_range(g.layers[size_t(i)].activation);
    return programs.compute(TrainPhase::DataGradient, i, {&y, &dy}, 1, {clamp_grad(0, 1, 2, range)}).front();
}

}  // namespace npu

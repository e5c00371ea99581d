#include "sim/train/vector_passes.h"

namespace npu {
namespace {

VectorPass pass(VectorWork work, TrainPhase phase, int layer, int64_t elements, int inputs, int outputs, int ops) {
    return VectorPass{phase, layer, elements, inputs, outputs, ops, false, work};
}

}  // namespace

std::vector<VectorPass> layer_passes(const Graph& g, int i) {
    const Layer& l = g.layers[size_t(i)];
    const int64_t out = l.output.elements();
    const int64_t in = l.inputs.empty() ? 0 : g.layers[size_t(l.inputs[0])].output.elements();
    // A gradient several layers add into: each adding pass reads it too (+1 stream, +1 operation).
    auto gathers = [&](size_t k) { return k < l.inputs.size() && g.readers(l.inputs[k]) > 1 ? 1 : 0; };
    constexpr TrainPhase F = TrainPhase::Forward, D = TrainPhase::DataGradient, W = TrainPhase::WeightGradient;
    // (A conv's or fc's bias gradient needs no pass: its weight-gradient GEMM computes it.)
    std::vector<VectorPass> p;
    const int fused = l.activation != Activation::None ? 1 : 0;
    switch (l.kind) {
        case LayerKind::Conv2d:
        case LayerKind::FullyConnected:
            if (fused) p.push_back(pass(VectorWork::Mask, D, i, out, 2, 1, 1));  // dz = act'(y) dy
            if (gathers(0) && l.inputs[0] != 0)                                  // the GEMM's dX added in
                p.push_back(pass(VectorWork::GradientAdd, D, i, in, 2, 1, 1));
            break;
        case LayerKind::Relu:
        case LayerKind::Relu6:
        case LayerKind::Clip:  // mask(x) dy
            p.push_back(pass(VectorWork::Mask, D, i, out, 2 + gathers(0), 1, 1 + gathers(0)));
            break;
        case LayerKind::Add: {
            // dz (dy through the fused activation) is each input's gradient as it is, unless the
            // input gathers from other readers too.
            const int adds = gathers(0) + gathers(1);
            if (fused + adds > 0)
                p.push_back(pass(VectorWork::Mask, D, i, out, 1 + fused + adds, fused + adds, fused + adds));
            break;
        }
        case LayerKind::MaxPool:  // dy routed by the argmax
            p.push_back(pass(VectorWork::Pool, D, i, in, 2 + gathers(0), 1, 1 + gathers(0)));
            break;
        case LayerKind::AvgPool:
        case LayerKind::GlobalAvgPool:
            p.push_back(pass(VectorWork::Pool, D, i, in, 1 + gathers(0), 1, 1 + gathers(0)));
            break;
        case LayerKind::BatchNorm:
            p.push_back(pass(VectorWork::BatchNormStats, F, i, in, 1, 0, 2));
            p.push_back(pass(VectorWork::BatchNormNormalize, F, i, out, 1, 1, 2));
            p.push_back(pass(VectorWork::BatchNormSums, W, i, out, 2, 0, 2));  // of dy and dy xhat
            p.push_back(pass(VectorWork::BatchNormGrad, D, i, in, 2 + gathers(0), 1, 3 + gathers(0)));
            break;
        default: break;  // input, views (flatten, reshape): no work
    }
    return p;
}

VectorPass loss_pass(const Graph& g) {
    const int last = int(g.layers.size()) - 1;
    return pass(VectorWork::Loss, TrainPhase::Forward, last, g.output().output.elements(), 1, 1,
                5);  // max, exp, sum, log, grad
}

std::vector<VectorPass> update_passes(int layer, int64_t params, const UpdateRule& rule) {
    std::vector<VectorPass> p;
    if (params == 0) return p;
    for (int64_t k = 1; k < rule.accumulate; ++k)  // the micro-batches' weight gradients summed (FP32)
        p.push_back({TrainPhase::WeightGradient, layer, params, 2, 1, 1, true, VectorWork::Accumulate});
    const int copy = rule.mixed ? 1 : 0;  // the master weights rounded to the compute precision
    if (rule.optimizer == OptimizerKind::Adam)
        p.push_back({TrainPhase::Update, layer, params, 4, 3 + copy, 8, true, VectorWork::Update});  // w g m v; w m v
    else
        p.push_back({TrainPhase::Update, layer, params, 3, 2 + copy, 3, true, VectorWork::Update});  // w g m; w m
    return p;
}

}  // namespace npu

#include "sim/train/vector_passes.h"

namespace npu {
namespace {

// How many layers read layer `index`'s output (their gradients are summed into its gradient).
int readers(const Graph& g, int index) {
    int count = 0;
    for (const Layer& l : g.layers)
        for (int in : l.inputs) count += in == index ? 1 : 0;
    return count;
}

VectorPass pass(TrainPhase phase, int layer, int64_t elements, int inputs, int outputs, int ops) {
    return VectorPass{phase, layer, elements, inputs, outputs, ops, false};
}

}  // namespace

std::vector<VectorPass> layer_passes(const Graph& g, int i) {
    const Layer& l = g.layers[size_t(i)];
    const int64_t out = l.output.elements();
    const int64_t in = l.inputs.empty() ? 0 : g.layers[size_t(l.inputs[0])].output.elements();
    constexpr TrainPhase F = TrainPhase::Forward, D = TrainPhase::DataGradient, W = TrainPhase::WeightGradient;
    std::vector<VectorPass> p;
    const bool fused = l.activation != Activation::None;
    switch (l.kind) {
        case LayerKind::Conv2d:
        case LayerKind::FullyConnected:
            if (fused) p.push_back(pass(D, i, out, 2, 1, 1));  // dz = act'(y) dy
            if (l.kind == LayerKind::Conv2d ? l.conv.bias : l.fc.bias) p.push_back(pass(W, i, out, 1, 0, 1));
            break;
        case LayerKind::Relu:
        case LayerKind::Relu6:
        case LayerKind::Clip: p.push_back(pass(D, i, out, 2, 1, 1)); break;  // dx = mask(x) dy
        case LayerKind::Add:
            if (fused) p.push_back(pass(D, i, out, 2, 1, 1));  // both inputs take dz as it is
            break;
        case LayerKind::MaxPool: p.push_back(pass(D, i, in, 2, 1, 1)); break;  // dy scattered by argmax
        case LayerKind::AvgPool:
        case LayerKind::GlobalAvgPool: p.push_back(pass(D, i, in, 1, 1, 1)); break;
        case LayerKind::BatchNorm:
            p.push_back(pass(F, i, in, 1, 0, 2));   // sums of x and x^2 per channel
            p.push_back(pass(F, i, out, 1, 1, 2));  // y = gamma (x - mean) / std + beta
            p.back().normalizes = true;
            p.push_back(pass(W, i, out, 2, 0, 2));  // sums of dy and dy xhat: d gamma, d beta
            p.push_back(pass(D, i, in, 2, 1, 3));   // dx
            break;
        default: break;  // input, views (flatten, reshape): no work
    }
    const int r = readers(g, i);
    if (r > 1 && i > 0) p.push_back(pass(D, i, out, r, 1, r - 1));  // the readers' gradients summed
    return p;
}

VectorPass loss_pass(const Graph& g) {
    const int last = int(g.layers.size()) - 1;
    return pass(TrainPhase::Forward, last, g.output().output.elements(), 1, 1, 5);  // max, exp, sum, log, grad
}

std::vector<VectorPass> update_passes(int layer, int64_t params, const UpdateRule& rule) {
    std::vector<VectorPass> p;
    if (params == 0) return p;
    for (int64_t k = 1; k < rule.accumulate; ++k)  // the micro-batches' weight gradients summed (FP32)
        p.push_back({TrainPhase::WeightGradient, layer, params, 2, 1, 1, true});
    const int copy = rule.mixed ? 1 : 0;  // the master weights rounded to the compute precision
    if (rule.optimizer == OptimizerKind::Adam)
        p.push_back({TrainPhase::Update, layer, params, 4, 3 + copy, 8, true});  // w, g, m, v in; w, m, v out
    else
        p.push_back({TrainPhase::Update, layer, params, 3, 2 + copy, 3, true});  // w, g, momentum in; w, momentum out
    return p;
}

}  // namespace npu

#include "workloads/ir/float_model.h"

#include "workloads/ir/seeded_rng.h"
#include "workloads/ops/op_def.h"

namespace npu {
namespace {

LayerTensors make_tensors(const Graph& g, int i, SeededRng& rng) {
    LayerTensors t;
    const OpDef& op = op_def(g.layers[size_t(i)].kind);
    if (op.make_tensors) op.make_tensors(LayerView{g, i}, rng, t);
    return t;
}

}  // namespace

FloatModel make_float_model(const Graph& graph, uint64_t seed, const std::function<void(int layer)>& layer_done) {
    FloatModel m;
    m.graph = graph;
    SeededRng rng(seed);
    for (size_t i = 0; i < graph.layers.size(); ++i) {
        m.tensors.push_back(make_tensors(graph, int(i), rng));
        if (layer_done) layer_done(int(i));
    }
    m.inputs.resize(graph.layers.size());
    for (int i : graph.input_indices()) {
        const Layer& in = graph.layers[size_t(i)];
        std::vector<float>& values = m.inputs[size_t(i)];
        values.resize(size_t(in.output.elements()));
        if (!in.input_data.empty()) {
            for (size_t k = 0; k < values.size(); ++k) values[k] = in.input_data[k % in.input_data.size()];
        } else {
            for (float& v : values) v = float(rng.uniform(-1.0, 1.0));
        }
    }
    return m;
}

namespace {

// Folds a batchnorm's affine map into the conv/fc before it:
// w'[f] = w[f] * scale[f], b'[f] = b[f] * scale[f] + shift[f].
void fold_batchnorm(LayerTensors& producer, const LayerTensors& bn) {
    const size_t outs = producer.bias.size();
    const size_t per_out = producer.weight.size() / outs;
    for (size_t f = 0; f < outs; ++f) {
        for (size_t k = 0; k < per_out; ++k) producer.weight[f * per_out + k] *= bn.weight[f];
        producer.bias[f] = producer.bias[f] * bn.weight[f] + bn.bias[f];
    }
}

bool can_absorb(const Layer& producer, LayerKind follower) {
    const OpDef& op = op_def(producer.kind);
    if (producer.activation != Activation::None) return false;
    if (follower == LayerKind::BatchNorm) return op.absorb_batchnorm != nullptr;
    if (follower == LayerKind::Relu || follower == LayerKind::Relu6) return op.takes_activation;
    return false;
}

}  // namespace

InferenceGraph inference_graph(const Graph& source) {
    Graph g = source;
    const size_t count = g.layers.size();
    std::vector<int> replaced_by(count);  // a removed layer's output is its producer's
    for (size_t i = 0; i < count; ++i) replaced_by[i] = int(i);
    std::vector<bool> removed(count, false);
    auto resolve = [&](int index) {
        while (replaced_by[size_t(index)] != index) index = replaced_by[size_t(index)];
        return index;
    };
    InferenceGraph out;
    for (size_t i = 1; i < count; ++i) {
        Layer& l = g.layers[i];
        for (int& in : l.inputs) in = resolve(in);
        if (l.kind != LayerKind::BatchNorm && l.kind != LayerKind::Relu && l.kind != LayerKind::Relu6) continue;
        const int p = l.inputs[0];
        Layer& producer = g.layers[size_t(p)];
        size_t readers = 0;  // of the producer, in the graph as folded so far
        for (size_t j = 1; j < count; ++j)
            if (!removed[j])
                for (int in : g.layers[j].inputs) readers += resolve(in) == p ? 1 : 0;
        // A batchnorm that cannot fold stays: the vector unit applies it (float precisions).
        if (readers != 1 || !can_absorb(producer, l.kind)) continue;
        if (l.kind == LayerKind::BatchNorm) {
            out.folds.emplace_back(int(i), p);
            op_def(producer.kind).absorb_batchnorm(producer);
        } else {
            producer.activation = l.kind == LayerKind::Relu ? Activation::Relu : Activation::Relu6;
        }
        removed[i] = true;
        replaced_by[i] = p;
    }
    // Rebuild without the removed layers, renumbering inputs.
    out.graph.name = g.name;
    out.graph.source = g.source;
    std::vector<int> new_index(count, -1);
    for (size_t i = 0; i < count; ++i) {
        if (removed[i]) continue;
        Layer l = g.layers[i];
        for (int& in : l.inputs) in = new_index[size_t(resolve(in))];
        new_index[i] = out.graph.add(std::move(l));
        out.origin.push_back(int(i));
    }
    for (size_t i = 0; i < count; ++i) out.index_of.push_back(new_index[size_t(resolve(int(i)))]);
    infer_shapes(out.graph, Limits::none());  // folding only shrinks an already checked graph
    return out;
}

FloatModel prepare_for_inference(FloatModel model) {
    InferenceGraph plan = inference_graph(model.graph);
    std::vector<LayerTensors>& tensors = model.tensors;  // folded in place: ours (a copy or a move)
    for (const auto& [bn, producer] : plan.folds) fold_batchnorm(tensors[size_t(producer)], tensors[size_t(bn)]);
    FloatModel out;
    out.graph = std::move(plan.graph);
    for (int origin : plan.origin) {  // each surviving layer once, so its tensors move
        out.tensors.push_back(std::move(tensors[size_t(origin)]));
        out.inputs.push_back(std::move(model.inputs[size_t(origin)]));
    }
    return out;
}

}  // namespace npu

#include "sim/train/forward_segments.h"

#include <fmt/format.h>

#include <map>

namespace npu {
namespace {

// Layers [first, end) of `g` as a graph of their own, earlier tensors they read as Input layers.
ForwardSegment make_segment(const Graph& g, int first, int end, int number) {
    ForwardSegment s;
    s.graph.name = fmt::format("{}_segment{}", g.name, number);
    s.graph.source = g.source;
    std::map<int, int> index;  // training layer -> segment layer
    auto add_input = [&](int t) {
        Layer in;
        in.kind = LayerKind::Input;
        in.name = g.layers[size_t(t)].name;
        in.output = g.layers[size_t(t)].output;
        index[t] = s.graph.add(std::move(in));
        s.source.push_back(t);
    };
    if (first == 0) add_input(0), first = 1;
    for (int i = first; i < end; ++i)
        for (int in : g.layers[size_t(i)].inputs)
            if (in < first && !index.count(in)) add_input(in);
    s.first_computed = int(s.graph.layers.size());
    for (int i = first; i < end; ++i) {
        Layer l = g.layers[size_t(i)];
        for (int& in : l.inputs) in = index.at(in);
        index[i] = s.graph.add(std::move(l));
        s.source.push_back(i);
    }
    return s;
}

}  // namespace

std::vector<ForwardSegment> forward_segments(const Graph& g) {
    std::vector<ForwardSegment> out;
    int first = 0;
    const int count = int(g.layers.size());
    for (int i = 1; i <= count; ++i) {
        if (i < count && g.layers[size_t(i)].kind != LayerKind::BatchNorm) continue;
        if (i > first && !(first == 0 && i == 1)) out.push_back(make_segment(g, first, i, int(out.size())));
        first = i;
    }
    return out;
}

}  // namespace npu

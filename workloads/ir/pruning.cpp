#include "workloads/ir/pruning.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "common/error.h"

namespace npu {
namespace {

// Weights per filter (the GEMM's K) of a conv/fc layer's weight tensor.
int64_t reduction_size(const Layer& layer, const std::vector<float>& weights) {
    return int64_t(weights.size()) / std::max<int64_t>(1, layer.output.c);
}

// Keeps the `keep` weights of largest magnitude among `indices` (ties: earlier first), zeroes
// the rest.
void keep_largest(std::vector<float>& w, std::vector<int64_t>& indices, int64_t keep) {
    if (keep >= int64_t(indices.size())) return;
    std::stable_sort(indices.begin(), indices.end(),
                     [&](int64_t a, int64_t b) { return std::fabs(w[size_t(a)]) > std::fabs(w[size_t(b)]); });
    for (size_t i = size_t(keep); i < indices.size(); ++i) w[size_t(indices[i])] = 0.0f;
}

void prune_nm(std::vector<float>& w, int64_t k, int n, int m) {
    std::vector<int64_t> group;
    for (int64_t f0 = 0; f0 < int64_t(w.size()); f0 += k)
        for (int64_t g0 = 0; g0 < k; g0 += m) {
            group.clear();
            for (int64_t i = g0; i < std::min<int64_t>(k, g0 + m); ++i) group.push_back(f0 + i);
            keep_largest(w, group, n);
        }
}

// Global magnitude pruning: one ranking over the weights of every prunable layer.
void prune_global(FloatModel& model, double density) {
    std::vector<std::pair<int, int64_t>> all;  // (layer, index)
    for (size_t l = 0; l < model.tensors.size(); ++l)
        if (prunable(model.graph.layers[l].kind))
            for (int64_t i = 0; i < int64_t(model.tensors[l].weight.size()); ++i) all.emplace_back(int(l), i);
    const auto magnitude = [&](const std::pair<int, int64_t>& x) {
        return std::fabs(model.tensors[size_t(x.first)].weight[size_t(x.second)]);
    };
    std::stable_sort(all.begin(), all.end(), [&](const auto& a, const auto& b) { return magnitude(a) > magnitude(b); });
    const auto keep = size_t(std::floor(density * double(all.size())));
    for (size_t i = keep; i < all.size(); ++i) model.tensors[size_t(all[i].first)].weight[size_t(all[i].second)] = 0.0f;
}

}  // namespace

bool prunable(LayerKind kind) { return kind == LayerKind::Conv2d || kind == LayerKind::FullyConnected; }

std::string PruneSpec::describe() const {
    switch (kind) {
        case Kind::None: return "dense";
        case Kind::NM: return fmt::format("{}:{}", n, m);
        case Kind::Density: return fmt::format("to density {:g} {}", density, global ? "globally" : "per layer");
    }
    return "";
}

namespace {

// The spec, or nothing when `text` is not one.
std::optional<PruneSpec> read_prune_spec(const std::string& text) {
    PruneSpec s;
    const bool global = text.rfind("global:", 0) == 0;
    const size_t colon = text.find(':');
    try {
        size_t used = 0;
        if (colon != std::string::npos && !global) {
            s.kind = PruneSpec::Kind::NM;
            s.n = std::stoi(text.substr(0, colon), &used);
            if (used != colon) return std::nullopt;
            const std::string m = text.substr(colon + 1);
            s.m = std::stoi(m, &used);
            if (used != m.size() || s.n < 1 || s.n >= s.m || s.m > 64) return std::nullopt;
            return s;
        }
        const std::string d = global ? text.substr(7) : text;
        s.kind = PruneSpec::Kind::Density;
        s.global = global;
        s.density = std::stod(d, &used);
        if (used != d.size() || !(s.density > 0.0 && s.density < 1.0)) return std::nullopt;
        return s;
    } catch (const std::logic_error&) {  // stoi/stod: not a number, or out of range
        return std::nullopt;
    }
}

}  // namespace

std::string prune_spec_error(const std::string& text) {
    if (read_prune_spec(text)) return "";
    return fmt::format(
        "'{}' is not a pruning: give N:M (1 <= N < M <= 64, e.g. 2:4), a density D of weights kept "
        "(0 < D < 1, per layer, e.g. 0.3) or global:D",
        text);
}

PruneSpec parse_prune_spec(const std::string& text, const std::string& option) {
    if (const std::optional<PruneSpec> s = read_prune_spec(text)) return *s;
    throw UsageError(fmt::format("{}: {}", option, prune_spec_error(text)));
}

void prune_weights(FloatModel& model, const PruneSpec& spec) {
    if (!spec.active()) return;
    if (spec.kind == PruneSpec::Kind::Density && spec.global) return prune_global(model, spec.density);
    for (size_t l = 0; l < model.tensors.size(); ++l) {
        const Layer& layer = model.graph.layers[l];
        std::vector<float>& w = model.tensors[l].weight;
        if (!prunable(layer.kind) || w.empty()) continue;
        if (spec.kind == PruneSpec::Kind::NM) {
            prune_nm(w, reduction_size(layer, w), spec.n, spec.m);
        } else {
            std::vector<int64_t> all(w.size());
            std::iota(all.begin(), all.end(), 0);
            keep_largest(w, all, int64_t(std::floor(spec.density * double(w.size()))));
        }
    }
}

bool satisfies_nm(const std::vector<float>& weights, int64_t k, int n, int m) {
    for (int64_t f0 = 0; f0 < int64_t(weights.size()); f0 += k)
        for (int64_t g0 = 0; g0 < k; g0 += m) {
            int nonzero = 0;
            for (int64_t i = g0; i < std::min<int64_t>(k, g0 + m); ++i) nonzero += weights[size_t(f0 + i)] != 0.0f;
            if (nonzero > n) return false;
        }
    return true;
}

}  // namespace npu

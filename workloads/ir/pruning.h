#pragma once
// Weight pruning of conv and fully connected layers (the model transforms of the sparsity
// work): magnitude pruning to a target density, per layer or over the whole network, and N:M
// structured pruning along the GEMM's reduction axis.
//
// Order of a filter's weights: [channels/groups][kh][kw], the GEMM's K order, so an N:M group
// is M consecutive K elements of one filter (of one output neuron for fc: M consecutive inputs),
// as 2:4 sparse tensor cores and SCALE-Sim v3's row-wise N:M group them. A filter's last group,
// when K is not a multiple of M, keeps at most N of its L < M weights.
//
// Magnitude pruning zeroes the smallest |w| until at most `density` x count remain nonzero
// (per layer: of each layer's weights; global: of all of them, with one threshold). Ties at the
// threshold are broken by position (earlier weights are kept), so the result is exact:
// floor(density x count) nonzero weights where there were at least that many. Biases and
// batchnorm parameters are never pruned.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/ir/float_model.h"

namespace npu {

struct PruneSpec {
    enum class Kind { None, Density, NM };
    Kind kind = Kind::None;
    double density = 1.0;  // Density: the fraction of weights kept, in (0, 1)
    bool global = false;   // Density: one threshold over all conv/fc weights
    int n = 0, m = 0;      // NM: at most n nonzero in every m consecutive

    bool active() const { return kind != Kind::None; }
    std::string describe() const;  // "2:4", "to density 0.3 per layer", "to density 0.3 globally"
};

// "N:M" (1 <= N < M <= 64), "D" (0 < D < 1: per-layer density) or "global:D". Throws UsageError
// "<option>: <prune_spec_error>".
PruneSpec parse_prune_spec(const std::string& text, const std::string& option);
// Why `text` is not a pruning ("'4:2' is not a pruning: give N:M ..."), or "" when it is one:
// for callers that name the option themselves (a CLI validator, a YAML key).
std::string prune_spec_error(const std::string& text);

// The layers pruning applies to: conv2d and fully connected.
bool prunable(LayerKind kind);

// Prunes the conv and fc weights of `model` in place.
void prune_weights(FloatModel& model, const PruneSpec& spec);

// Whether every filter of `weights` (K values each) has at most n nonzero in each group of m.
bool satisfies_nm(const std::vector<float>& weights, int64_t k, int n, int m);

}  // namespace npu

// Weight pruning (workloads/ir/pruning.h): the N:M rule and the densities hold exactly, the
// weights kept are the largest, nothing but conv/fc weights changes, and bad specs say why.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "test_paths.h"
#include "workloads/ir/float_model.h"
#include "workloads/ir/pruning.h"
#include "workloads/model_loader.h"

using namespace npu;

namespace {

FloatModel lenet() {
    const Graph g = load_model_file(test::model_file("lenet5"));
    return prepare_for_inference(make_float_model(g, 7));
}

bool prunable(const Layer& l) { return l.kind == LayerKind::Conv2d || l.kind == LayerKind::FullyConnected; }

int64_t nonzero(const std::vector<float>& w) {
    return std::count_if(w.begin(), w.end(), [](float v) { return v != 0.0f; });
}

// Every kept weight is at least as large as every pruned one among `indices` of `before`.
void check_kept_largest(const std::vector<float>& before, const std::vector<float>& after,
                        const std::vector<size_t>& indices) {
    float smallest_kept = INFINITY, largest_dropped = 0.0f;
    for (size_t i : indices)
        if (after[i] != 0.0f) {
            CHECK(after[i] == before[i]);
            smallest_kept = std::min(smallest_kept, std::fabs(before[i]));
        } else {
            largest_dropped = std::max(largest_dropped, std::fabs(before[i]));
        }
    CHECK(smallest_kept >= largest_dropped);
}

}  // namespace

TEST_CASE("pruning specs parse, and bad ones name the option and the forms", "[pruning]") {
    const PruneSpec nm = parse_prune_spec("2:4", "--prune");
    CHECK(nm.kind == PruneSpec::Kind::NM);
    CHECK(nm.n == 2);
    CHECK(nm.m == 4);
    CHECK(nm.describe() == "2:4");
    const PruneSpec d = parse_prune_spec("0.3", "--prune");
    CHECK(d.kind == PruneSpec::Kind::Density);
    CHECK(d.density == 0.3);
    CHECK_FALSE(d.global);
    CHECK(d.describe() == "to density 0.3 per layer");
    const PruneSpec g = parse_prune_spec("global:0.2", "--prune");
    CHECK(g.global);
    CHECK(g.describe() == "to density 0.2 globally");
    CHECK_FALSE(PruneSpec{}.active());
    for (const char* bad :
         {"4:2", "2:2", "0:4", "2:65", "2:4x", "1", "0", "-0.5", "1.5", "abc", "", "global:", "global:1", ":4", "2:"}) {
        INFO(bad);
        CHECK_THROWS_WITH(parse_prune_spec(bad, "--prune"),
                          Catch::Matchers::StartsWith(std::string("--prune: '") + bad + "' is not a pruning") &&
                              Catch::Matchers::Contains("N:M") && Catch::Matchers::Contains("global:D"));
        CHECK_THROWS_AS(parse_prune_spec(bad, "--prune"), UsageError);
    }
}

TEST_CASE("N:M pruning keeps the N largest of every M consecutive K weights of each filter", "[pruning]") {
    for (const auto& [n, m] : {std::pair{2, 4}, {1, 4}, {2, 8}}) {
        INFO(n << ":" << m);
        const FloatModel before = lenet();
        FloatModel after = before;
        prune_weights(after, parse_prune_spec(fmt::format("{}:{}", n, m), "--prune"));
        for (size_t l = 0; l < after.tensors.size(); ++l) {
            const Layer& layer = after.graph.layers[l];
            const std::vector<float>& w = after.tensors[l].weight;
            CHECK(after.tensors[l].bias == before.tensors[l].bias);
            if (!prunable(layer) || w.empty()) {
                CHECK(w == before.tensors[l].weight);
                continue;
            }
            INFO(layer.name);
            const int64_t k = int64_t(w.size()) / layer.output.c;  // LeNet-5: 25, 150, 400, 120, 84
            CHECK(satisfies_nm(w, k, n, m));
            // Random weights have no zeros: each full group keeps exactly n, the last of L < m
            // keeps min(n, L).
            const int64_t per_filter = k / m * n + std::min<int64_t>(n, k % m);
            CHECK(nonzero(w) == per_filter * layer.output.c);
            for (int64_t f = 0; f < layer.output.c; ++f)
                for (int64_t g0 = 0; g0 < k; g0 += m) {
                    std::vector<size_t> group;
                    for (int64_t i = g0; i < std::min(k, g0 + m); ++i) group.push_back(size_t(f * k + i));
                    check_kept_largest(before.tensors[l].weight, w, group);
                }
        }
    }
}

TEST_CASE("density pruning keeps floor(D x count) of the largest weights, per layer or globally", "[pruning]") {
    const FloatModel before = lenet();
    FloatModel per_layer = before, global = before;
    prune_weights(per_layer, parse_prune_spec("0.3", "--prune"));
    prune_weights(global, parse_prune_spec("global:0.3", "--prune"));
    int64_t total = 0, kept = 0;
    std::vector<float> all_before, all_after;
    for (size_t l = 0; l < before.tensors.size(); ++l) {
        const std::vector<float>& w = before.tensors[l].weight;
        if (!prunable(before.graph.layers[l]) || w.empty()) {
            CHECK(per_layer.tensors[l].weight == w);
            CHECK(global.tensors[l].weight == w);
            continue;
        }
        INFO(before.graph.layers[l].name);
        CHECK(nonzero(per_layer.tensors[l].weight) == int64_t(std::floor(0.3 * double(w.size()))));
        std::vector<size_t> every(w.size());
        for (size_t i = 0; i < w.size(); ++i) every[i] = i;
        check_kept_largest(w, per_layer.tensors[l].weight, every);
        total += int64_t(w.size());
        kept += nonzero(global.tensors[l].weight);
        all_before.insert(all_before.end(), w.begin(), w.end());
        all_after.insert(all_after.end(), global.tensors[l].weight.begin(), global.tensors[l].weight.end());
    }
    CHECK(kept == int64_t(std::floor(0.3 * double(total))));
    std::vector<size_t> every(all_before.size());
    for (size_t i = 0; i < every.size(); ++i) every[i] = i;
    check_kept_largest(all_before, all_after, every);  // one threshold over all layers
    // The global threshold keeps more of some layers than 30% and less of others.
    bool differs = false;
    for (size_t l = 0; l < before.tensors.size(); ++l)
        differs |= global.tensors[l].weight != per_layer.tensors[l].weight;
    CHECK(differs);
}

TEST_CASE("satisfies_nm finds a group with too many nonzero weights", "[pruning]") {
    CHECK(satisfies_nm({1, 0, 2, 0, 0, 3, 0, 4}, 8, 2, 4));
    CHECK_FALSE(satisfies_nm({1, 0, 2, 5, 0, 3, 0, 4}, 8, 2, 4));
    CHECK(satisfies_nm({1, 2, 0, 3, 4, 0}, 3, 2, 4));  // K = 3: one short group per filter
    CHECK_FALSE(satisfies_nm({1, 2, 3, 0, 0, 0}, 3, 2, 4));
}

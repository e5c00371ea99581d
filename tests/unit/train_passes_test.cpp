// What element-wise work a training step gives the vector unit, per layer kind: the streams each
// pass reads and writes and its operations, on a small residual network with batchnorm.
#include <catch2/catch.hpp>

#include "kernels/train/cpu_trainer.h"
#include "sim/train/vector_passes.h"
#include "workloads/model_loader.h"

using namespace npu;

namespace {

Graph residual_graph() {
    Graph g = training_graph(
        parse_model_yaml("name: t\ninput: {channels: 2, height: 6, width: 6}\nlayers:\n"
                         "  - {name: c, type: conv2d, filters: 4, kernel: 3, padding: 1, activation: relu}\n"  // 1
                         "  - {name: c2, type: conv2d, filters: 4, kernel: 3, padding: 1, bias: false}\n"      // 2
                         "  - {name: bn, type: batchnorm}\n"                                                   // 3
                         "  - {name: sum, type: add, inputs: [bn, c]}\n"                                       // 4
                         "  - {name: r, type: relu}\n"                                                         // 5
                         "  - {name: m, type: maxpool, kernel: 2}\n"                                           // 6
                         "  - {name: f, type: flatten}\n"                                                      // 7
                         "  - {name: fc, type: fc, out_features: 3, bias: false}\n",                           // 8
                         "t.yaml"));
    reshape_input(g, 2);
    return g;
}

bool same(const VectorPass& p, TrainPhase phase, int64_t elements, int inputs, int outputs, int ops) {
    return p.phase == phase && p.elements == elements && p.inputs == inputs && p.outputs == outputs && p.ops == ops;
}

}  // namespace

TEST_CASE("training passes per layer kind", "[train][passes]") {
    const Graph g = residual_graph();
    constexpr TrainPhase F = TrainPhase::Forward, D = TrainPhase::DataGradient, W = TrainPhase::WeightGradient;
    const int64_t act = 2 * 4 * 6 * 6;  // every tensor up to the pool
    // c: the relu mask of its output (its bias gradient is in its GEMM; it reads the graph's
    // input: no dX).
    const std::vector<VectorPass> c = layer_passes(g, 1);
    REQUIRE(c.size() == 1);
    CHECK(same(c[0], D, act, 2, 1, 1));
    // c is read by c2 and by the add, whose gradients gather in c's: c2's dX GEMM result is added
    // in by a pass, the add's gradient within its own pass (bn's is handed on as it is).
    const std::vector<VectorPass> c2 = layer_passes(g, 2);
    REQUIRE(c2.size() == 1);
    CHECK(same(c2[0], D, act, 2, 1, 1));
    const std::vector<VectorPass> sum = layer_passes(g, 4);
    REQUIRE(sum.size() == 1);
    CHECK(same(sum[0], D, act, 2, 1, 1));
    // Batchnorm: batch statistics and normalization forward, parameter sums and dx backward.
    const std::vector<VectorPass> bn = layer_passes(g, 3);
    REQUIRE(bn.size() == 4);
    CHECK(same(bn[0], F, act, 1, 0, 2));
    CHECK(same(bn[1], F, act, 1, 1, 2));
    CHECK(bn[1].work == VectorWork::BatchNormNormalize);
    CHECK(same(bn[2], W, act, 2, 0, 2));
    CHECK(same(bn[3], D, act, 2, 1, 3));
    REQUIRE(layer_passes(g, 5).size() == 1);
    CHECK(same(layer_passes(g, 5)[0], D, act, 2, 1, 1));
    REQUIRE(layer_passes(g, 6).size() == 1);
    CHECK(same(layer_passes(g, 6)[0], D, act, 2, 1, 1));  // over the pool's input
    CHECK(layer_passes(g, 7).empty());                    // a view
    CHECK(same(loss_pass(g), F, 2 * 3, 1, 1, 5));
    for (const VectorPass& p : layer_passes(g, 1)) CHECK_FALSE(p.fp32);
}

TEST_CASE("update passes: the optimizer's streams, the master copy, accumulation", "[train][passes]") {
    const std::vector<VectorPass> sgd = update_passes(1, 100, UpdateRule{OptimizerKind::Sgd, false, 1});
    REQUIRE(sgd.size() == 1);
    CHECK(same(sgd[0], TrainPhase::Update, 100, 3, 2, 3));
    CHECK(sgd[0].fp32);
    // Adam in mixed precision, 3 micro-batches: two gradient sums, then the update writing w, m,
    // v and the compute-precision copy.
    const std::vector<VectorPass> adam = update_passes(1, 100, UpdateRule{OptimizerKind::Adam, true, 3});
    REQUIRE(adam.size() == 3);
    CHECK(same(adam[0], TrainPhase::WeightGradient, 100, 2, 1, 1));
    CHECK(same(adam[2], TrainPhase::Update, 100, 4, 4, 8));
    CHECK(update_passes(1, 0, UpdateRule{}).empty());
}

// Sigmoid, hard sigmoid, tanh and the element-wise product: the numbers every backend shares
// (vector_math.h), worked by hand, and the model-file errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/error.h"
#include "kernels/numerics/vector_math.h"
#include "workloads/model_loader.h"

using namespace npu;
using Catch::Matchers::Contains;

TEST_CASE("unary functions and their INT8 tables", "[unit][unary]") {
    const UnaryAttrs sigmoid{UnaryFn::Sigmoid, 0.2f, 0.5f}, hard{UnaryFn::HardSigmoid, 1 / 6.0f, 0.5f},
        tanh_fn{UnaryFn::Tanh, 0.2f, 0.5f};
    CHECK(unary_value(sigmoid, 0.0f) == 0.5f);
    CHECK(unary_value(sigmoid, 2.0f) == Approx(0.8807971).epsilon(1e-7));
    CHECK(unary_value(hard, -3.0f) == 0.0f);  // x / 6 + 1/2 clamped to [0, 1]
    CHECK(unary_value(hard, 1.5f) == 0.75f);
    CHECK(unary_value(hard, 4.0f) == 1.0f);
    CHECK(unary_value(tanh_fn, -1.0f) == Approx(-0.7615942).epsilon(1e-7));
    // Input scale 0.05 (q = 40 is 2.0), output scale 1/127 (1.0 is 127).
    const std::vector<int8_t> table = unary_table(sigmoid, 0.05f, 1 / 127.0f);
    REQUIRE(table.size() == size_t(kUnaryTableSize));
    CHECK(unary_int8(0, table.data()) == 64);    // 0.5 * 127 = 63.5, rounded half away from zero
    CHECK(unary_int8(40, table.data()) == 112);  // 0.8808 * 127 = 111.86
    CHECK(unary_int8(-128, table.data()) == 0);  // sigmoid(-6.4) = 0.0017: 0.21 rounds to 0
    for (int q = -127; q < 128; ++q) CHECK(table[size_t(q + 128)] >= table[size_t(q + 127)]);  // monotonic
    const std::vector<int8_t> hard_table = unary_table(hard, 0.05f, 1 / 127.0f);
    CHECK(unary_int8(30, hard_table.data()) == 95);  // 1.5 -> 0.75 * 127 = 95.25
}

TEST_CASE("INT8 products are rescaled once", "[unit][unary]") {
    // s_a = 0.05, s_b = 0.04, s_out = 0.1: m = 0.02; 100 * 50 * 0.02 = 100.
    const QuantMultiplier m = make_multiplier(0.05 * 0.04 / 0.1);
    CHECK(mul_int8(100, 50, m) == 100);
    CHECK(mul_int8(-100, 50, m) == -100);
    CHECK(mul_int8(127, 127, m) == 127);  // 322.58 saturates
    CHECK(mul_int8(30, 1, m) == 1);       // 0.6
    CHECK(mul_int8(-30, 1, m) == -1);     // -0.6
    CHECK(mul_int8(20, 1, m) == 0);       // 0.4
}

TEST_CASE("unary and mul layers in model files: what they read and what they refuse", "[unit][unary]") {
    const std::string head = "name: m\ninput: {channels: 2, height: 4, width: 4}\nlayers:\n";
    const Graph g = parse_model_yaml(head +
                                         "  - {name: g, type: global_avgpool}\n"
                                         "  - {name: s, type: unary, function: hard_sigmoid, alpha: 0.25}\n"
                                         "  - {name: m, type: mul, inputs: [input, s]}\n",
                                     "m.yaml");
    CHECK(g.layers[2].unary.fn == UnaryFn::HardSigmoid);
    CHECK(g.layers[2].unary.alpha == 0.25f);
    CHECK(g.layers[3].output == Shape{1, 2, 4, 4});
    CHECK_THROWS_WITH(
        parse_model_yaml(head + "  - {name: s, type: unary, function: swish}\n", "bad.yaml"),
        Contains(
            "bad.yaml:4: layers[0].function: unknown function 'swish' (sigmoid, hard_sigmoid, tanh, gelu, erf, sqrt)"));
    CHECK_THROWS_WITH(parse_model_yaml(head + "  - {name: p, type: maxpool, kernel: 2}\n"
                                              "  - {name: m, type: mul, inputs: [input, p]}\n",
                                       "bad.yaml"),
                      Contains("mul needs equal shapes or a second input of N x C x 1 x 1, got 1x2x4x4 and 1x2x2x2"));
}

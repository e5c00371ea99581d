#include <catch2/catch.hpp>

#include "common/error.h"
#include "kernels/cpu/quantized_model.h"
#include "workloads/ir/float_model.h"
#include "workloads/model_loader.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

Graph parse(const std::string& layers, const std::string& input = "{channels: 3, height: 8, width: 8}") {
    return parse_model_yaml("name: t\ninput: " + input + "\nlayers:\n" + layers, "t.yaml");
}

}  // namespace

TEST_CASE("shape inference of conv, pool, fc, flatten, softmax", "[ir][shapes]") {
    const Graph g = parse(
        "  - {name: c1, type: conv2d, filters: 16, kernel: 3, padding: 1}\n"
        "  - {name: c2, type: conv2d, filters: 32, kernel: 3, stride: 2}\n"
        "  - {name: p, type: maxpool, kernel: 2}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 10}\n"
        "  - {name: s, type: softmax}\n");
    CHECK(g.layers[1].output == Shape{1, 16, 8, 8});
    CHECK(g.layers[2].output == Shape{1, 32, 3, 3});  // floor((8 - 3) / 2) + 1
    CHECK(g.layers[3].output == Shape{1, 32, 1, 1});  // pool stride defaults to the kernel
    CHECK(g.layers[4].output == Shape{1, 32, 1, 1});
    CHECK(g.layers[5].output == Shape{1, 10, 1, 1});
    CHECK(layer_macs(g, 1) == 16 * 8 * 8 * 3 * 9);
    CHECK(layer_macs(g, 2) == 32 * 3 * 3 * 16 * 9);
    CHECK(layer_macs(g, 5) == 32 * 10);
    CHECK(layer_params(g, 5) == 32 * 10 + 10);
}

TEST_CASE("shape inference of dilation, asymmetric padding, groups and depthwise", "[ir][shapes]") {
    const Graph g = parse(
        "  - {name: d, type: conv2d, filters: 6, kernel: 3, dilation: 2, padding: [1, 2, 0, 1]}\n"
        "  - {name: g, type: conv2d, filters: 12, kernel: [1, 3], groups: 3}\n"
        "  - {name: dw, type: conv2d, filters: 12, kernel: 3, groups: 12, padding: 1}\n");
    // extent 5: h = 8 + 1 + 0 - 5 + 1 = 5, w = 8 + 2 + 1 - 5 + 1 = 7
    CHECK(g.layers[1].output == Shape{1, 6, 5, 7});
    CHECK(g.layers[2].output == Shape{1, 12, 5, 5});
    CHECK(layer_macs(g, 2) == 12 * 5 * 5 * (6 / 3) * 3);
    CHECK(g.layers[3].output == Shape{1, 12, 5, 5});
    CHECK(layer_macs(g, 3) == 12 * 5 * 5 * 9);
}

TEST_CASE("add checks its input shapes and inputs resolve by name", "[ir][shapes]") {
    const Graph g = parse(
        "  - {name: a, type: conv2d, filters: 4, kernel: 1}\n"
        "  - {name: b, type: conv2d, filters: 4, kernel: 1, inputs: [input]}\n"
        "  - {name: sum, type: add, inputs: [a, b], activation: relu}\n");
    CHECK(g.layers[3].output == Shape{1, 4, 8, 8});
    CHECK(g.layers[3].activation == Activation::Relu);
    REQUIRE_THROWS_WITH(parse("  - {name: a, type: conv2d, filters: 4, kernel: 1}\n"
                              "  - {name: b, type: conv2d, filters: 5, kernel: 1, inputs: [input]}\n"
                              "  - {name: sum, type: add, inputs: [a, b]}\n"),
                        Contains("layer 'sum'") && Contains("1x4x8x8") && Contains("1x5x8x8"));
}

TEST_CASE("shape errors name the model, file, line and layer", "[ir][shapes]") {
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: conv2d, filters: 4, kernel: 9}\n"),
                        Contains("t.yaml:4") && Contains("layer 'c'") && Contains("does not fit"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: conv2d, filters: 4, kernel: 1, groups: 2}\n"),
                        Contains("not divisible by groups"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: conv2d, filters: 0, kernel: 1}\n"),
                        Contains("filters must be >= 1"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: conv2d, filters: 2, kernel: 3, padding: 3}\n"),
                        Contains("smaller than the 3x3 window"));
    REQUIRE_THROWS_WITH(parse("  - {name: s, type: softmax, axis: 4}\n"), Contains("softmax axis must be 0..3"));
    REQUIRE_THROWS_WITH(parse("  - {name: r, type: reshape, shape: [5, 5, 5]}\n"),
                        Contains("changes the element count"));
    REQUIRE_THROWS_WITH(parse("  - {name: k, type: clip, min: 2, max: 1}\n"), Contains("clip min 2 is above max 1"));
    REQUIRE_THROWS_WITH(parse("  - {name: a, type: conv2d, filters: 2, kernel: 1}\n"
                              "  - {name: b, type: conv2d, filters: 2, kernel: 3, inputs: [input]}\n"
                              "  - {name: j, type: concat, inputs: [a, b]}\n"),
                        Contains("concat along axis 1 needs equal other dimensions"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: conv2d, filters: 2, kernel: 1, stride: 0}\n"),
                        Contains("stride must be >= 1"));
}

TEST_CASE("model file errors: unknown keys and types, missing keys, bad inputs", "[ir][loader]") {
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: conv2d, filters: 4, kernel: 3, strid: 2}\n"),
                        Contains("t.yaml:4") && Contains("layers[0].strid: unknown key"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: conv2d, filters: 4, kernal: 3}\n"),
                        Contains("layers[0].kernel: missing required key (is 'kernal' a typo?)"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: conv3d}\n"), Contains("unknown layer type 'conv3d'"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: conv2d, kernel: 3}\n"),
                        Contains("layers[0].filters: missing required key"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: conv2d, filters: four, kernel: 3}\n"),
                        Contains("expected an integer, got 'four'"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: relu, inputs: [nowhere]}\n"),
                        Contains("no earlier layer is named 'nowhere'"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: relu}\n  - {name: c, type: relu}\n"),
                        Contains("duplicate layer name 'c'"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: relu}\n", "{channels: 3, height: 0, width: 8}"),
                        Contains("must be positive"));
    REQUIRE_THROWS_WITH(parse_model_yaml("name: t\ninput: [1, 2]\nlayers: []\n", "t.yaml"),
                        Contains("input: expected a mapping"));
    REQUIRE_THROWS_WITH(parse_model_yaml("name: t\n  bad: [\n", "t.yaml"), Contains("invalid YAML"));
    REQUIRE_THROWS_WITH(load_model_file("/nonexistent/model.yaml"), Contains("cannot open"));
}

TEST_CASE("given weights and data must match the shapes", "[ir][loader]") {
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: conv2d, filters: 1, kernel: 1, weights: [1, 2]}\n"),
                        Contains("weights has 2 values, the shapes need 3"));
    REQUIRE_THROWS_WITH(parse("  - {name: c, type: relu}\n", "{channels: 1, height: 1, width: 2, data: [1]}"),
                        Contains("data has 1 values"));
}

TEST_CASE("inference graph folds batchnorm and fuses activations", "[ir][passes]") {
    const Graph g = parse(
        "  - {name: c, type: conv2d, filters: 4, kernel: 1, bias: false}\n"
        "  - {name: bn, type: batchnorm}\n"
        "  - {name: r, type: relu}\n"
        "  - {name: c2, type: conv2d, filters: 4, kernel: 1}\n"
        "  - {name: sum, type: add, inputs: [r, c2]}\n"
        "  - {name: r2, type: relu6}\n");
    const FloatModel folded = prepare_for_inference(make_float_model(g, 7));
    REQUIRE(folded.graph.layers.size() == 4);  // input, c, c2, sum
    CHECK(folded.graph.layers[1].activation == Activation::Relu);
    CHECK(folded.graph.layers[1].conv.bias);
    CHECK(folded.graph.layers[2].inputs == std::vector<int>{1});
    CHECK(folded.graph.layers[3].activation == Activation::Relu6);
    CHECK(folded.graph.layers[3].inputs == std::vector<int>{1, 2});
    // c has two readers after folding (c2 and sum): its relu can still fuse because the relu
    // itself is c's only reader before the fold.
    const FloatModel plain = make_float_model(g, 7);
    const float scale = plain.tensors[2].weight[0], shift = plain.tensors[2].bias[0];
    CHECK(folded.tensors[1].weight[0] == Approx(plain.tensors[1].weight[0] * scale));
    CHECK(folded.tensors[1].bias[0] == Approx(shift));
}

TEST_CASE("a batchnorm that cannot fold stays, and INT8 refuses it clearly", "[ir][passes]") {
    const Graph g = parse(
        "  - {name: p, type: maxpool, kernel: 2}\n"
        "  - {name: bn, type: batchnorm}\n");
    const FloatModel m = prepare_for_inference(make_float_model(g, 1));
    REQUIRE(m.graph.layers.size() == 3);
    CHECK(m.graph.layers[2].kind == LayerKind::BatchNorm);
    CHECK_NOTHROW(quantize_model(m, Precision::Fp32));
    REQUIRE_THROWS_WITH(quantize_model(m, Precision::Int8),
                        Contains("layer 'bn'") && Contains("standalone batchnorm runs in fp16 or fp32"));
}

TEST_CASE("seeded parameters are identical for a seed and differ across seeds", "[ir]") {
    const Graph g = parse("  - {name: c, type: conv2d, filters: 4, kernel: 3}\n");
    const FloatModel a = make_float_model(g, 42), b = make_float_model(g, 42), c = make_float_model(g, 43);
    CHECK(a.tensors[1].weight == b.tensors[1].weight);
    CHECK(a.inputs == b.inputs);
    CHECK(a.tensors[1].weight != c.tensors[1].weight);
}

TEST_CASE("reshape_input changes batch and resolution and re-infers", "[ir]") {
    Graph g = parse("  - {name: c, type: conv2d, filters: 4, kernel: 3}\n");
    reshape_input(g, 4, 16, 12);
    CHECK(g.layers[1].output == Shape{4, 4, 14, 10});
}

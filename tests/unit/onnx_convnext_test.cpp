// ConvNeXt as PyTorch exports it at opset 13: channels-last islands between Transposes, the
// layer norm and the exact GELU written as chains of elementary operators, MatMuls of rank-4
// tensors, per-channel Adds and Muls of constants. What they import as, what is refused, and the
// export of layer_norm and gelu layers read back.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "onnx_model_builder.h"
#include "workloads/export/onnx_export.h"
#include "workloads/import/onnx_import.h"
#include "workloads/model_loader.h"

using namespace npu;
using Catch::Matchers::Contains;
using test::ModelBuilder;

namespace {

// ReduceMean over the last axis, keeping it.
void mean_last(ModelBuilder& b, const std::string& x, const std::string& y) {
    ModelBuilder::ints(b.node("ReduceMean", {x}, {y}), "axes", {-1});
}

// One ConvNeXt block on x (1 x 4 x 3 x 3), as torchvision's CNBlock exports: permute, layer
// norm (its gamma through an Identity, as PyTorch aliases equal initializers), Linear 4 -> 8,
// GELU, Linear 8 -> 4, permute back, layer scale, residual add.
ModelBuilder convnext_block() {
    ModelBuilder b(13);
    b.input("x", {1, 4, 3, 3});
    for (const auto& [name, v] : std::vector<std::pair<std::string, float>>{
             {"two", 2.0f}, {"eps", 1e-6f}, {"sqrt2", 1.41421354f}, {"one", 1.0f}, {"half", 0.5f}})
        b.initializer(name, {}, {v});
    b.initializer("gamma0", {4}, {1.0f, 0.5f, 2.0f, -1.0f});
    b.initializer("beta", {4}, {0.0f, 0.1f, 0.2f, 0.3f});
    std::vector<float> w1(32), w2(32);
    for (size_t i = 0; i < 32; ++i) w1[i] = 0.01f * float(i), w2[i] = -0.02f * float(i);
    b.initializer("w1", {4, 8}, w1);
    b.initializer("b1", {8}, {1, 2, 3, 4, 5, 6, 7, 8});
    b.initializer("w2", {8, 4}, w2);
    b.initializer("b2", {4}, {0.5f, 0.25f, 0.125f, 0.0625f});
    b.initializer("scale", {4, 1, 1}, {1e-6f, 2e-6f, 3e-6f, 4e-6f});
    b.node("Identity", {"gamma0"}, {"gamma"});
    ModelBuilder::ints(b.node("Transpose", {"x"}, {"t"}), "perm", {0, 2, 3, 1});
    mean_last(b, "t", "mean");
    b.node("Sub", {"t", "mean"}, {"centred"});
    b.node("Pow", {"centred", "two"}, {"square"});
    mean_last(b, "square", "variance");
    b.node("Add", {"variance", "eps"}, {"plus"});
    b.node("Sqrt", {"plus"}, {"root"});
    b.node("Div", {"centred", "root"}, {"normalized"});
    b.node("Mul", {"normalized", "gamma"}, {"scaled"});
    b.node("Add", {"scaled", "beta"}, {"norm"});
    b.node("MatMul", {"norm", "w1"}, {"mm1"});
    b.node("Add", {"b1", "mm1"}, {"fc1"});
    b.node("Div", {"fc1", "sqrt2"}, {"d"});
    b.node("Erf", {"d"}, {"erf"});
    b.node("Add", {"erf", "one"}, {"gate"});
    b.node("Mul", {"fc1", "gate"}, {"twice"});
    b.node("Mul", {"twice", "half"}, {"gelu"});
    b.node("MatMul", {"gelu", "w2"}, {"mm2"});
    b.node("Add", {"b2", "mm2"}, {"fc2"});
    ModelBuilder::ints(b.node("Transpose", {"fc2"}, {"back"}), "perm", {0, 3, 1, 2});
    b.node("Mul", {"scale", "back"}, {"scaled_branch"});
    b.node("Add", {"scaled_branch", "x"}, {"y"});
    b.output("y");
    return b;
}

}  // namespace

TEST_CASE("a ConvNeXt block imports as layer norm, 1x1 convs with their biases, GELU and a layer scale",
          "[onnx][convnext]") {
    ModelBuilder b = convnext_block();
    const OnnxImport r = import_onnx(b.save("convnext_block"));
    const Graph& g = r.graph;
    std::vector<LayerKind> kinds;
    for (const Layer& l : g.layers) kinds.push_back(l.kind);
    CHECK(kinds == std::vector<LayerKind>{LayerKind::Input, LayerKind::LayerNorm, LayerKind::Conv2d, LayerKind::Unary,
                                          LayerKind::Conv2d, LayerKind::BatchNorm, LayerKind::Add});
    const Layer& norm = g.layers[1];
    CHECK(norm.norm_epsilon == 1e-6f);
    CHECK(norm.weights == std::vector<float>{1.0f, 0.5f, 2.0f, -1.0f});
    CHECK(norm.bias_values == std::vector<float>{0.0f, 0.1f, 0.2f, 0.3f});
    const Layer& fc1 = g.layers[2];
    CHECK(fc1.conv.filters == 8);
    CHECK(fc1.conv.window.kernel_h == 1);
    CHECK(fc1.output == Shape{1, 8, 3, 3});
    CHECK(fc1.conv.bias);
    CHECK(fc1.bias_values == std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8});
    CHECK(fc1.weights[size_t(1 * 4 + 2)] == 0.01f * float(2 * 8 + 1));  // filter 1, channel 2: w1[2][1]
    CHECK(g.layers[3].unary.fn == UnaryFn::Gelu);
    CHECK(g.layers[5].weights == std::vector<float>{1e-6f, 2e-6f, 3e-6f, 4e-6f});  // folds into the conv
    CHECK(g.layers[6].inputs == std::vector<int>{5, 0});
    CHECK(g.layers[6].output == Shape{1, 4, 3, 3});
}

TEST_CASE("channels-last views and the chains are refused where npusim cannot follow them",
          "[onnx][convnext][errors]") {
    ModelBuilder relu(13);
    relu.input("x", {1, 4, 3, 3});
    ModelBuilder::ints(relu.node("Transpose", {"x"}, {"t"}), "perm", {0, 2, 3, 1});
    relu.node("Relu", {"t"}, {"r"});
    ModelBuilder::ints(relu.node("Transpose", {"r"}, {"y"}), "perm", {0, 3, 1, 2});
    relu.output("y");
    CHECK_THROWS_WITH(import_onnx(relu.save("relu_on_view")),
                      Contains("node 'r' (Relu): reads 't', a channels-last view (Transpose [0, 2, 3, 1])"));
    ModelBuilder open(13);
    open.input("x", {1, 4, 3, 3});
    ModelBuilder::ints(open.node("Transpose", {"x"}, {"y"}), "perm", {0, 2, 3, 1});
    open.output("y");
    CHECK_THROWS_WITH(import_onnx(open.save("view_out")), Contains("graph output 'y' is channels last"));
    ModelBuilder whole(17);
    whole.input("x", {1, 4, 3, 3});
    whole.initializer("s", {4, 3, 3}, std::vector<float>(36, 1.0f));
    ModelBuilder::integer(whole.node("LayerNormalization", {"x", "s"}, {"y"}), "axis", 1);
    whole.output("y");
    CHECK_THROWS_WITH(import_onnx(whole.save("layer_norm_chw")),
                      Contains("node 'y' (LayerNormalization): normalizes axes 1.. of [1, 4, 3, 3]"));
    ModelBuilder tanh(20);
    tanh.input("x", {1, 4, 3, 3});
    ModelBuilder::text(tanh.node("Gelu", {"x"}, {"y"}), "approximate", "tanh");
    tanh.output("y");
    CHECK_THROWS_WITH(import_onnx(tanh.save("gelu_tanh")), Contains("node 'y' (Gelu): approximate = tanh"));
    // A Pow outside the layer norm chain is an operator npusim lacks; an Erf there is a unary layer.
    ModelBuilder pow(13);
    pow.input("x", {1, 4, 3, 3});
    pow.initializer("two", {}, {2.0f});
    pow.node("Pow", {"x", "two"}, {"y"});
    pow.output("y");
    CHECK_THROWS_WITH(import_onnx(pow.save("pow")), Contains("unsupported ONNX operators: Pow"));
    ModelBuilder erf(13);
    erf.input("x", {1, 4, 3, 3});
    erf.node("Erf", {"x"}, {"y"});
    erf.output("y");
    CHECK(import_onnx(erf.save("erf")).graph.layers[1].unary.fn == UnaryFn::Erf);
}

TEST_CASE("layer_norm and gelu layers export as PyTorch writes them and read back as the same layers",
          "[onnx][convnext]") {
    Graph g = load_model_file(std::string(NPUSIM_SOURCE_DIR) + "/tests/data/models/convnext_units.yaml");
    const FloatModel m = make_float_model(g, 11);
    const Graph back = import_onnx_bytes(onnx_model_bytes(g, m.tensors), "m.onnx").graph;
    REQUIRE(back.layers.size() == g.layers.size());
    for (size_t i = 1; i < g.layers.size(); ++i) {
        INFO(g.layers[i].name);
        const LayerKind kind = g.layers[i].kind == LayerKind::Flatten ? LayerKind::Reshape : g.layers[i].kind;
        CHECK(back.layers[i].kind == kind);  // ONNX Flatten reads back as a reshape
        CHECK(back.layers[i].output == g.layers[i].output);
        CHECK(back.layers[i].inputs == g.layers[i].inputs);
        CHECK(back.layers[i].norm_epsilon == g.layers[i].norm_epsilon);
        CHECK(back.layers[i].unary.fn == g.layers[i].unary.fn);
    }
    const int norm = g.find("norm");
    CHECK(back.layers[size_t(norm)].weights == m.tensors[size_t(norm)].weight);
    CHECK(back.layers[size_t(norm)].bias_values == m.tensors[size_t(norm)].bias);
}

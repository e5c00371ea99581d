#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <fstream>

#include "common/error.h"
#include "onnx_model_builder.h"
#include "workloads/import/onnx_import.h"

using namespace npu;
using Catch::Matchers::Contains;

using test::ModelBuilder;

TEST_CASE("ONNX shapes and axes map onto NCHW", "[onnx]") {
    CHECK(onnx_shape({7}, "t", Limits{}) == Shape{1, 7, 1, 1});
    CHECK(onnx_shape({2, 5}, "t", Limits{}) == Shape{2, 5, 1, 1});
    CHECK(onnx_shape({2, 3, 9}, "t", Limits{}) == Shape{2, 3, 1, 9});
    CHECK(onnx_shape({2, 3, 4, 5}, "t", Limits{}) == Shape{2, 3, 4, 5});
    CHECK_THROWS_AS(onnx_shape({1, 2, 3, 4, 5}, "t", Limits{}), UnsupportedError);
    CHECK(onnx_axis(2, 3, "t") == 3);
    CHECK(onnx_axis(-1, 3, "t") == 3);
    CHECK(onnx_axis(-1, 2, "t") == 1);
    CHECK_THROWS_WITH(onnx_axis(4, 4, "t"), Contains("axis 4 out of range for rank 4"));
}

TEST_CASE("ONNX Conv with auto_pad SAME_UPPER, Relu and Gemm with transB, alpha and beta", "[onnx]") {
    ModelBuilder b;
    b.input("x", {1, 2, 5, 5});
    b.initializer("w", {3, 2, 2, 2}, std::vector<float>(24, 0.5f));
    auto* conv = b.node("Conv", {"x", "w"}, {"c"});
    ModelBuilder::text(conv, "auto_pad", "SAME_UPPER");
    ModelBuilder::ints(conv, "strides", {2, 2});
    b.node("Relu", {"c"}, {"r"});
    b.node("Flatten", {"r"}, {"f"});
    b.initializer("g", {4, 27}, std::vector<float>(108, 1.0f));  // [N, K] because transB = 1
    b.initializer("bias", {4}, {1, 2, 3, 4});
    auto* gemm = b.node("Gemm", {"f", "g", "bias"}, {"y"});
    ModelBuilder::integer(gemm, "transB", 1);
    ModelBuilder::real(gemm, "alpha", 0.5f);
    ModelBuilder::real(gemm, "beta", 2.0f);
    b.output("y");
    const OnnxImport m = import_onnx(b.save("conv_gemm"));
    const Graph& g = m.graph;
    REQUIRE(g.layers.size() == 5);
    const Layer& c = g.layers[1];
    // SAME_UPPER, 5 wide, stride 2, kernel 2: output 3, total padding (3-1)*2 + 2 - 5 = 1, at the end.
    CHECK((c.conv.window.pad_top == 0 && c.conv.window.pad_bottom == 1 && c.conv.window.pad_right == 1));
    CHECK(c.output == Shape{1, 3, 3, 3});
    const Layer& fc = g.layers[4];
    CHECK(fc.kind == LayerKind::FullyConnected);
    CHECK(fc.output == Shape{1, 4, 1, 1});
    CHECK(fc.weights[0] == 0.5f);                             // alpha folded in
    CHECK(fc.bias_values == std::vector<float>{2, 4, 6, 8});  // beta folded in
    CHECK(m.output_layers == std::vector<int>{4});
    CHECK(m.operators == std::vector<std::string>{"Conv", "Flatten", "Gemm", "Relu"});
}

TEST_CASE("ONNX models with unsupported operators list them all in one error", "[onnx][errors]") {
    ModelBuilder b;
    b.input("x", {1, 4});
    b.node("Cos", {"x"}, {"s"});
    b.node("Sin", {"s"}, {"t"});
    b.node("Relu", {"t"}, {"y"});
    b.output("y");
    CHECK_THROWS_AS(import_onnx(b.save("unsupported")), UnsupportedError);
    CHECK_THROWS_WITH(import_onnx(b.save("unsupported")),
                      Contains("unsupported ONNX operators: Cos, Sin") && Contains("supported: Add"));
}

TEST_CASE("ONNX attribute and input problems name the node", "[onnx][errors]") {
    {
        ModelBuilder b;
        b.input("x", {1, 2, 3});
        b.input("y", {1, 2, 3});
        b.input("z", {3});
        b.node("Add", {"x", "z"}, {"s"});
        b.output("s");
        CHECK_THROWS_WITH(import_onnx(b.save("broadcast")),
                          Contains("node 's' (Add): broadcasting [1, 2, 3] with [3] is unsupported"));
    }
    {
        ModelBuilder b;
        b.input("x", {1, 2, 4, 4});
        b.input("w", {2, 2, 3, 3});  // a weight with no value
        b.node("Conv", {"x", "w"}, {"y"});
        b.output("y");
        CHECK_THROWS_WITH(import_onnx(b.save("weight_input")),
                          Contains("graph input 'w' is used as a weight but has no value"));
    }
    {
        ModelBuilder b;
        b.input("x", {1, 2, 4, 4});
        auto* p = b.node("MaxPool", {"x"}, {"y"});
        ModelBuilder::ints(p, "kernel_shape", {2, 2});
        ModelBuilder::integer(p, "storage_order", 1);
        b.output("y");
        CHECK_THROWS_WITH(import_onnx(b.save("storage")), Contains("node 'y' (MaxPool): storage_order = 1"));
    }
    CHECK_THROWS_WITH(import_onnx("/nonexistent.onnx"), Contains("cannot open"));
    const std::string junk = std::string(NPUSIM_TEST_TMP) + "/junk.onnx";
    std::ofstream(junk) << "this is not protobuf at all \\xff\\xff";
    CHECK_THROWS_AS(import_onnx(junk), WorkloadError);
}

TEST_CASE("ONNX softmax axis semantics follow the opset", "[onnx]") {
    for (const int64_t opset : {11, 13}) {
        ModelBuilder b(opset);
        b.input("x", {2, 3, 4});
        auto* s = b.node("Softmax", {"x"}, {"y"});
        ModelBuilder::integer(s, "axis", 1);
        b.output("y");
        const OnnxImport m = import_onnx(b.save("softmax" + std::to_string(opset)));
        const Layer& l = m.graph.layers[1];
        CHECK(l.softmax.axis == 1);
        CHECK(l.softmax.flatten == (opset < 13));  // before 13: axes 1.. form one row
    }
}

TEST_CASE("ONNX Identity, Dropout in inference and a spatial ReduceMean import as torchvision exports them", "[onnx]") {
    // The tail of a torchvision classifier: ReduceMean over H and W (keepdims 0), Dropout, Identity, Gemm.
    ModelBuilder b(13);
    b.input("x", {2, 3, 4, 4});
    auto* mean = b.node("ReduceMean", {"x"}, {"m"});
    ModelBuilder::ints(mean, "axes", {-1, 2});
    ModelBuilder::integer(mean, "keepdims", 0);
    b.node("Dropout", {"m"}, {"d"});
    b.node("Identity", {"d"}, {"i"});
    b.initializer("w", {5, 3}, std::vector<float>(15, 1.0f));
    auto* gemm = b.node("Gemm", {"i", "w"}, {"y"});
    ModelBuilder::integer(gemm, "transB", 1);
    b.output("y");
    const OnnxImport m = import_onnx(b.save("tail"));
    const Graph& g = m.graph;
    // Input, the pool and its reshape to N x C, the fc: Dropout and Identity add no layer.
    REQUIRE(g.layers.size() == 4);
    CHECK(g.layers[1].kind == LayerKind::GlobalAvgPool);
    CHECK(g.layers[1].output == Shape{2, 3, 1, 1});
    CHECK(g.layers[2].kind == LayerKind::Reshape);
    CHECK(g.layers[2].output == Shape{2, 3, 1, 1});
    CHECK(g.layers[3].kind == LayerKind::FullyConnected);
    CHECK(g.layers[3].inputs == std::vector<int>{2});
    CHECK(m.output_layers == std::vector<int>{3});

    // What inference cannot give is refused, naming the node.
    auto refused = [](const std::string& op, std::vector<int64_t> axes, const std::string& second_output) {
        ModelBuilder r(13);
        r.input("x", {1, 3, 4, 4});
        auto* n = r.node(
            op, {"x"},
            second_output.empty() ? std::vector<std::string>{"y"} : std::vector<std::string>{"y", second_output});
        if (!axes.empty()) ModelBuilder::ints(n, "axes", axes);
        r.output("y");
        return r.save("refused_" + op);
    };
    CHECK_THROWS_WITH(import_onnx(refused("ReduceMean", {1}, "")),
                      Contains("a mean over axes [1] of a rank 4 tensor (only the spatial axes"));
    CHECK_THROWS_AS(import_onnx(refused("ReduceMean", {1}, "")), UnsupportedError);
    CHECK_THROWS_WITH(import_onnx(refused("Dropout", {}, "mask")), Contains("the mask output"));
}

TEST_CASE("ONNX zero Pad folds into the Conv or AveragePool that reads it, as PyTorch exports them", "[onnx]") {
    auto model = [](const std::string& consumer, std::vector<int64_t> pads, bool include_pad) {
        ModelBuilder b(13);
        b.input("x", {1, 2, 6, 6});
        ModelBuilder::ints(b.node("Pad", {"x"}, {"p"}), "pads", pads);
        onnx::NodeProto* n = nullptr;
        if (consumer == "Conv") {
            b.initializer("w", {3, 2, 3, 3}, std::vector<float>(54, 0.1f));
            n = b.node("Conv", {"p", "w"}, {"y"});
        } else if (consumer == "Relu") {
            n = b.node("Relu", {"p"}, {"y"});
        } else {
            n = b.node(consumer, {"p"}, {"y"});
            ModelBuilder::ints(n, "kernel_shape", {3, 3});
            if (include_pad) ModelBuilder::integer(n, "count_include_pad", 1);
        }
        b.output("y");
        return b.save("pad_" + consumer);
    };
    // pads: begins of N, C, H, W, then ends.
    const Graph avg = import_onnx(model("AveragePool", {0, 0, 1, 2, 0, 0, 1, 2}, false)).graph;
    REQUIRE(avg.layers.size() == 2);  // no layer for the Pad
    const Window2d& w = avg.layers[1].pool.window;
    CHECK((w.pad_top == 1 && w.pad_bottom == 1 && w.pad_left == 2 && w.pad_right == 2));
    CHECK(avg.layers[1].pool.count_include_pad);  // the Pad's zeros are counted
    CHECK(avg.layers[1].output == Shape{1, 2, 6, 8});
    const Graph conv = import_onnx(model("Conv", {0, 0, 1, 1, 0, 0, 1, 1}, false)).graph;
    CHECK(conv.layers[1].conv.window.pad_top == 1);
    CHECK(conv.layers[1].output == Shape{1, 3, 6, 6});
    const Graph none = import_onnx(model("MaxPool", {0, 0, 0, 0, 0, 0, 0, 0}, false)).graph;
    CHECK(none.layers[1].output == Shape{1, 2, 4, 4});  // a Pad of nothing passes through

    CHECK_THROWS_WITH(import_onnx(model("MaxPool", {0, 0, 1, 1, 0, 0, 1, 1}, false)),
                      Contains("a zero Pad before a MaxPool"));
    CHECK_THROWS_WITH(import_onnx(model("Relu", {0, 0, 1, 1, 0, 0, 1, 1}, false)),
                      Contains("reads Pad output 'p' (a zero Pad folds only into the Conv or AveragePool"));
    CHECK_THROWS_WITH(import_onnx(model("AveragePool", {0, 1, 0, 0, 0, 0, 0, 0}, false)),
                      Contains("padding the batch or channel axis"));
}

TEST_CASE("ONNX Sigmoid, HardSigmoid, Tanh, HardSwish and Mul import as the squeeze-and-excitation blocks use them",
          "[onnx]") {
    ModelBuilder b(14);
    b.input("x", {1, 4, 3, 3});
    b.node("GlobalAveragePool", {"x"}, {"g"});
    auto* hs = b.node("HardSigmoid", {"g"}, {"gate"});
    ModelBuilder::real(hs, "alpha", 1 / 6.0f);
    b.node("Mul", {"gate", "x"}, {"scaled"});  // the per-channel operand first: npusim puts it second
    b.node("Sigmoid", {"scaled"}, {"s"});
    b.node("Mul", {"scaled", "s"}, {"silu"});
    b.node("HardSwish", {"silu"}, {"hsw"});
    b.node("Tanh", {"hsw"}, {"y"});
    b.output("y");
    const Graph g = import_onnx(b.save("se_ops")).graph;
    // input, pool, gate, mul, sigmoid, mul, HardSwish's gate and product, tanh
    REQUIRE(g.layers.size() == 9);
    CHECK(g.layers[2].kind == LayerKind::Unary);
    CHECK(g.layers[2].unary.fn == UnaryFn::HardSigmoid);
    CHECK(g.layers[2].unary.alpha == 1 / 6.0f);
    CHECK(g.layers[2].unary.beta == 0.5f);  // ONNX's default
    CHECK(g.layers[3].kind == LayerKind::Mul);
    CHECK(g.layers[3].inputs == std::vector<int>{0, 2});  // x, then the per-channel gate
    CHECK(g.layers[3].output == Shape{1, 4, 3, 3});
    CHECK(g.layers[4].unary.fn == UnaryFn::Sigmoid);
    CHECK(g.layers[6].unary.fn == UnaryFn::HardSigmoid);
    CHECK(g.layers[6].unary.alpha == 1 / 6.0f);  // HardSwish: x * HardSigmoid(x, 1/6, 1/2)
    CHECK(g.layers[7].inputs == std::vector<int>{5, 6});
    CHECK(g.layers[8].unary.fn == UnaryFn::Tanh);

    ModelBuilder bad(13);
    bad.input("x", {1, 4, 3, 3});
    bad.input("row", {1, 1, 1, 3});
    bad.node("Mul", {"x", "row"}, {"y"});
    bad.output("y");
    CHECK_THROWS_WITH(
        import_onnx(bad.save("mul_row")),
        Contains("broadcasting [1, 4, 3, 3] with [1, 1, 1, 3] (equal shapes, or one operand N x C x 1 x 1)"));
}

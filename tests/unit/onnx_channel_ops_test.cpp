// ONNX Split, Slice and the channel shuffle as PyTorch exports ShuffleNetV2: the shape arithmetic
// folded, the three shuffle nodes recognized as one layer, what is refused, and the export of
// slice and channel_shuffle layers read back.
#include <catch2/catch.hpp>

#include <climits>

#include "common/error.h"
#include "onnx_model_builder.h"
#include "workloads/export/onnx_export.h"
#include "workloads/import/onnx_import.h"
#include "workloads/model_loader.h"

using namespace npu;
using Catch::Matchers::Contains;
using test::ModelBuilder;

namespace {

// x.size() traced: n and c gathered from Shape(x), c / groups computed, the 5-D target joined.
void traced_grouped_shape(ModelBuilder& b, const std::string& x, int64_t groups) {
    b.int64_initializer("i0", {1}, {0});
    b.int64_initializer("i1", {}, {1});
    b.int64_initializer("i23", {2}, {2, 3});
    b.int64_initializer("groups", {1}, {groups});
    b.int64_initializer("groups_scalar", {}, {groups});
    b.node("Shape", {x}, {"dims"});
    b.node("Gather", {"dims", "i0"}, {"n"});
    b.node("Gather", {"dims", "i1"}, {"c"});               // a scalar
    b.node("Div", {"c", "groups_scalar"}, {"per_group"});  // integer: truncates
    ModelBuilder::ints(b.node("Unsqueeze", {"per_group"}, {"per_group_1"}), "axes", {0});
    b.node("Gather", {"dims", "i23"}, {"hw"});
    ModelBuilder::integer(b.node("Concat", {"n", "groups", "per_group_1", "hw"}, {"grouped_shape"}), "axis", 0);
}

}  // namespace

TEST_CASE("ONNX Split, Slice and a traced channel shuffle import as ShuffleNetV2 exports them", "[onnx][channel]") {
    ModelBuilder b(9);  // Slice's and Unsqueeze's arguments as attributes
    b.input("x", {1, 8, 3, 3});
    auto* split = b.node("Split", {"x"}, {"a", "b"});
    ModelBuilder::integer(split, "axis", 1);  // equal parts
    auto* s = b.node("Slice", {"b"}, {"b_cols"});
    ModelBuilder::ints(s, "starts", {1});
    ModelBuilder::ints(s, "ends", {INT64_MAX});
    ModelBuilder::ints(s, "axes", {-1});
    auto* whole = b.node("Slice", {"a"}, {"a_all"});
    ModelBuilder::ints(whole, "starts", {0});
    ModelBuilder::ints(whole, "ends", {INT64_MAX});
    b.node("Conv", {"a_all", "w"}, {"a_conv"});
    b.initializer("w", {4, 4, 1, 2}, std::vector<float>(32, 0.125f));
    ModelBuilder::integer(b.node("Concat", {"a_conv", "b_cols"}, {"joined"}), "axis", 1);
    traced_grouped_shape(b, "joined", 2);
    b.node("Reshape", {"joined", "grouped_shape"}, {"grouped"});
    ModelBuilder::ints(b.node("Transpose", {"grouped"}, {"transposed"}), "perm", {0, 2, 1, 3, 4});
    b.int64_initializer("back", {4}, {1, -1, 3, 2});
    b.node("Reshape", {"transposed", "back"}, {"y"});
    b.output("y");
    const Graph g = import_onnx(b.save("shuffle_traced")).graph;
    // input, the split's two slices, the column slice, conv, concat, shuffle
    REQUIRE(g.layers.size() == 7);
    CHECK(g.layers[1].kind == LayerKind::Slice);
    CHECK(g.layers[1].slice.axis == 1);
    CHECK(g.layers[1].slice.begin == 0);
    CHECK(g.layers[1].slice.end == 4);
    CHECK(g.layers[2].name == "a_1");
    CHECK(g.layers[2].slice.begin == 4);
    CHECK(g.layers[2].slice.end == 8);
    CHECK(g.layers[3].slice.axis == 3);
    CHECK(g.layers[3].output == Shape{1, 4, 3, 2});
    CHECK(g.layers[4].inputs == std::vector<int>{1});  // the whole-tensor slice is the split's part
    CHECK(g.layers[6].kind == LayerKind::ChannelShuffle);
    CHECK(g.layers[6].shuffle_groups == 2);
    CHECK(g.layers[6].inputs == std::vector<int>{5});
    CHECK(g.layers[6].output == Shape{1, 8, 3, 2});
}

TEST_CASE("ONNX Split sizes: given, equal, uneven from opset 18, and refused", "[onnx][channel][errors]") {
    const auto split_of = [](int64_t opset, std::vector<int64_t> sizes, int outputs, int64_t num_outputs = 0) {
        ModelBuilder b(opset);
        b.input("x", {1, 7, 2, 2});
        std::vector<std::string> in = {"x"}, out;
        if (!sizes.empty()) b.int64_initializer("sizes", {int64_t(sizes.size())}, sizes), in.push_back("sizes");
        for (int k = 0; k < outputs; ++k) out.push_back("y" + std::to_string(k));
        auto* n = b.node("Split", in, out);
        ModelBuilder::integer(n, "axis", -3);
        if (num_outputs) ModelBuilder::integer(n, "num_outputs", num_outputs);
        for (const auto& o : out) b.output(o);
        return import_onnx(b.save("split")).graph;
    };
    const Graph given = split_of(13, {2, 5}, 2);
    CHECK(given.layers[2].slice.begin == 2);
    CHECK(given.layers[2].output.c == 5);
    const Graph uneven = split_of(18, {}, 3, 3);  // ceil(7 / 3) = 3: 3, 3, 1
    CHECK(uneven.layers[3].slice.begin == 6);
    CHECK(uneven.layers[3].output.c == 1);
    CHECK_THROWS_WITH(split_of(13, {}, 2), Contains("node 'y0' (Split): 7 elements do not split in 2 equal parts"));
    CHECK_THROWS_WITH(split_of(13, {2, 4}, 2), Contains("parts [2, 4] do not add up to the axis' 7"));
    CHECK_THROWS_WITH(split_of(13, {0, 7}, 2), Contains("an empty part (split [0, 7])"));
    CHECK_THROWS_WITH(split_of(13, {2, 2, 3}, 2), Contains("3 parts for 2 outputs"));
}

TEST_CASE("ONNX Slice and Transpose beyond a channel shuffle are refused naming the node", "[onnx][channel][errors]") {
    ModelBuilder stepped(13);
    stepped.input("x", {1, 4, 4, 4});
    stepped.int64_initializer("s", {1}, {0});
    stepped.int64_initializer("e", {1}, {4});
    stepped.int64_initializer("a", {1}, {2});
    stepped.int64_initializer("st", {1}, {2});
    stepped.node("Slice", {"x", "s", "e", "a", "st"}, {"y"});
    stepped.output("y");
    CHECK_THROWS_WITH(import_onnx(stepped.save("slice_step")), Contains("node 'y' (Slice): steps other than 1"));
    ModelBuilder attributes(13);
    attributes.input("x", {1, 4, 4, 4});
    ModelBuilder::ints(attributes.node("Slice", {"x"}, {"y"}), "starts", {1});
    attributes.output("y");
    CHECK_THROWS_WITH(import_onnx(attributes.save("slice_attributes")),
                      Contains("node 'y' (Slice): starts is an input from opset 10, not an attribute"));

    ModelBuilder other(13);
    other.input("x", {1, 4, 4, 4});
    ModelBuilder::ints(other.node("Transpose", {"x"}, {"y"}), "perm", {0, 3, 2, 1});
    other.output("y");
    CHECK_THROWS_WITH(import_onnx(other.save("nchw_to_wchn")),
                      Contains("node 'y' (Transpose): perm [0, 3, 2, 1] (a Transpose moves data only as a channel "
                               "shuffle"));

    ModelBuilder unfinished(13);
    unfinished.input("x", {1, 4, 4, 4});
    unfinished.int64_initializer("grouped", {5}, {1, 2, 2, 4, 4});
    unfinished.int64_initializer("flat", {4}, {1, 2, 8, 4});
    unfinished.node("Reshape", {"x", "grouped"}, {"g"});
    unfinished.node("Reshape", {"g", "flat"}, {"y"});
    unfinished.output("y");
    CHECK_THROWS_WITH(import_onnx(unfinished.save("no_transpose")),
                      Contains("node 'y' (Reshape): a reshape of a grouped [1, 2, 2, 4, 4] tensor to [1, 2, 8, 4]"));
}

TEST_CASE("slice and channel_shuffle layers export to ONNX and read back as the same layers", "[onnx][channel]") {
    Graph g = parse_model_yaml(
        "name: m\ninput: {channels: 6, height: 3, width: 4}\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 6, kernel: 1}\n"
        "  - {name: half, type: slice, begin: 3, end: 6}\n"
        "  - {name: cols, type: slice, axis: 3, begin: 1, end: 3, inputs: [c]}\n"
        "  - {name: mix, type: channel_shuffle, groups: 3}\n",
        "m.yaml");
    const FloatModel m = make_float_model(g, 7);
    const Graph back = import_onnx_bytes(onnx_model_bytes(g, m.tensors), "m.onnx").graph;
    REQUIRE(back.layers.size() == g.layers.size());
    for (size_t i = 1; i < g.layers.size(); ++i) {
        INFO(g.layers[i].name);
        CHECK(back.layers[i].kind == g.layers[i].kind);
        CHECK(back.layers[i].output == g.layers[i].output);
        CHECK(back.layers[i].inputs == g.layers[i].inputs);
    }
    CHECK(back.layers[3].slice.axis == 3);
    CHECK(back.layers[3].slice.begin == 1);
    CHECK(back.layers[3].slice.end == 3);
    CHECK(back.layers[4].shuffle_groups == 3);
    CHECK(back.layers[1].weights == m.tensors[1].weight);
}

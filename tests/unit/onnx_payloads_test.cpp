// Large ONNX tensors held back from protobuf parsing (workloads/import/onnx_payloads.h): the
// model without them parses to the same graph and values, a structure-only import leaves the
// conv and matrix weights undecoded, and malformed bytes are refused.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include "common/error.h"
#include "workloads/import/onnx_import.h"
#include "workloads/import/onnx_payloads.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

// input 1x8x16x16 -> Conv 16 filters 3x3 pad 1 (W 4608 bytes) -> Relu -> Flatten -> Gemm 4096 -> 10.
struct Model {
    std::vector<float> conv_w, gemm_b;
    std::string bytes;
};

void raw_initializer(onnx::GraphProto* g, const std::string& name, std::vector<int64_t> dims,
                     const std::vector<float>& values) {
    auto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
}

Model model() {
    Model m;
    for (int i = 0; i < 16 * 8 * 9; ++i) m.conv_w.push_back(float(i % 13) * 0.01f - 0.06f);
    for (int i = 0; i < 10 * 4096; ++i) m.gemm_b.push_back(float(i % 7) * 0.001f);
    onnx::ModelProto p;
    p.set_ir_version(7);
    p.add_opset_import()->set_version(13);
    onnx::GraphProto* g = p.mutable_graph();
    g->set_name("held");
    auto* in = g->add_input();
    in->set_name("x");
    auto* type = in->mutable_type()->mutable_tensor_type();
    type->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : {1, 8, 16, 16}) type->mutable_shape()->add_dim()->set_dim_value(d);
    raw_initializer(g, "w", {16, 8, 3, 3}, m.conv_w);
    raw_initializer(g, "bias", {16}, std::vector<float>(16, 0.5f));
    raw_initializer(g, "fc", {10, 4096}, m.gemm_b);
    auto node = [&](const char* op, std::vector<std::string> ins, const char* out) {
        auto* n = g->add_node();
        n->set_op_type(op);
        n->set_name(out);
        for (const auto& i : ins) n->add_input(i);
        n->add_output(out);
        return n;
    };
    auto* conv = node("Conv", {"x", "w", "bias"}, "c");
    auto* pads = conv->add_attribute();
    pads->set_name("pads");
    pads->set_type(onnx::AttributeProto::INTS);
    for (int k = 0; k < 4; ++k) pads->add_ints(1);
    node("Relu", {"c"}, "r");
    node("Flatten", {"r"}, "f");
    auto* gemm = node("Gemm", {"f", "fc"}, "y");
    auto* trans = gemm->add_attribute();
    trans->set_name("transB");
    trans->set_type(onnx::AttributeProto::INT);
    trans->set_i(1);
    g->add_output()->set_name("y");
    m.bytes = p.SerializeAsString();
    return m;
}

const Layer& layer_named(const Graph& g, const std::string& name) {
    for (const Layer& l : g.layers)
        if (l.name == name) return l;
    FAIL("no layer " << name);
    return g.layers.front();
}

}  // namespace

TEST_CASE("large raw_data stays in the file's bytes; the rest parses as before", "[unit][onnx]") {
    const Model m = model();
    const auto held = hold_back_payloads(m.bytes, 4096);
    REQUIRE(held);
    REQUIRE(held->payloads.size() == 3);  // one per initializer, the bias too small to hold back
    CHECK(held->payloads[0].size() == m.conv_w.size() * 4);
    CHECK(held->payloads[1].empty());
    CHECK(held->payloads[2].size() == m.gemm_b.size() * 4);
    // Views into the caller's bytes, not copies.
    CHECK(held->payloads[0].data() >= m.bytes.data());
    CHECK(held->payloads[2].data() + held->payloads[2].size() <= m.bytes.data() + m.bytes.size());
    CHECK(held->stripped.size() + held->payloads[0].size() + held->payloads[2].size() < m.bytes.size());
    onnx::ModelProto stripped;
    REQUIRE(stripped.ParseFromString(held->stripped));
    CHECK(stripped.graph().initializer(0).raw_data().empty());
    CHECK(stripped.graph().initializer(1).raw_data().size() == 64);
    CHECK(stripped.graph().node_size() == 4);

    const Graph full = import_onnx_bytes(m.bytes, "held.onnx").graph;
    CHECK(layer_named(full, "c").weights == m.conv_w);
    CHECK(layer_named(full, "c").bias_values == std::vector<float>(16, 0.5f));
    CHECK(layer_named(full, "y").weights == m.gemm_b);  // transB: stored [out][in] as given
}

TEST_CASE("a structure-only import reads shapes, not conv and matrix weights", "[unit][onnx]") {
    const Model m = model();
    OnnxImportOptions options;
    options.structure_only = true;
    const Graph shapes = import_onnx_bytes(m.bytes, "held.onnx", options).graph;
    const Graph full = import_onnx_bytes(m.bytes, "held.onnx").graph;
    REQUIRE(shapes.layers.size() == full.layers.size());
    for (size_t i = 0; i < full.layers.size(); ++i) {
        INFO(full.layers[i].name);
        CHECK(shapes.layers[i].kind == full.layers[i].kind);
        CHECK(shapes.layers[i].output == full.layers[i].output);
        CHECK(shapes.layers[i].weights.empty());
        CHECK(shapes.layers[i].bias_values == full.layers[i].bias_values);  // small constants are read
    }
}

TEST_CASE("malformed protobuf along the held-back path is not an ONNX model", "[unit][onnx]") {
    const Model m = model();
    for (size_t cut : {size_t(1), size_t(20), m.bytes.size() / 2, m.bytes.size() - 1}) {
        INFO(cut);
        CHECK_FALSE(hold_back_payloads(std::string_view(m.bytes).substr(0, cut), 4096).has_value());
        CHECK_THROWS_WITH(import_onnx_bytes(m.bytes.substr(0, cut), "cut.onnx"), Contains("not an ONNX model"));
    }
    std::string huge_length = "\x3a\xff\xff\xff\xff\x0f";  // field 7, length 2^32 - 1
    CHECK_FALSE(hold_back_payloads(huge_length, 4096).has_value());
    CHECK_FALSE(hold_back_payloads("\x3b", 4096).has_value());  // wire type 3 (groups)
}

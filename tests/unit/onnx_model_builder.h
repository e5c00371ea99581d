#pragma once
// A tiny ONNX model builder for tests: inputs, initializers, nodes with attributes, saved under
// the test folder.
#include <onnx/onnx_pb.h>

#include <fstream>
#include <string>
#include <vector>

namespace npu::test {

struct ModelBuilder {
    onnx::ModelProto model;
    onnx::GraphProto* graph;

    explicit ModelBuilder(int64_t opset = 13) : graph(model.mutable_graph()) {
        model.set_ir_version(7);
        model.add_opset_import()->set_version(opset);
        graph->set_name("t");
    }
    void input(const std::string& name, std::vector<int64_t> dims, int type = onnx::TensorProto::FLOAT) {
        auto* v = graph->add_input();
        v->set_name(name);
        auto* t = v->mutable_type()->mutable_tensor_type();
        t->set_elem_type(type);
        for (int64_t d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
    }
    void output(const std::string& name) { graph->add_output()->set_name(name); }
    void initializer(const std::string& name, std::vector<int64_t> dims, std::vector<float> values) {
        auto* t = graph->add_initializer();
        t->set_name(name);
        t->set_data_type(onnx::TensorProto::FLOAT);
        for (int64_t d : dims) t->add_dims(d);
        for (float v : values) t->add_float_data(v);
    }
    void int64_initializer(const std::string& name, std::vector<int64_t> dims, std::vector<int64_t> values) {
        auto* t = graph->add_initializer();
        t->set_name(name);
        t->set_data_type(onnx::TensorProto::INT64);
        for (int64_t d : dims) t->add_dims(d);
        for (int64_t v : values) t->add_int64_data(v);
    }
    onnx::NodeProto* node(const std::string& op, std::vector<std::string> in, std::vector<std::string> out) {
        auto* n = graph->add_node();
        n->set_op_type(op);
        n->set_name(out.front());
        for (const auto& i : in) n->add_input(i);
        for (const auto& o : out) n->add_output(o);
        return n;
    }
    static void ints(onnx::NodeProto* n, const std::string& name, std::vector<int64_t> v) {
        auto* a = n->add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INTS);
        for (int64_t x : v) a->add_ints(x);
    }
    static void integer(onnx::NodeProto* n, const std::string& name, int64_t v) {
        auto* a = n->add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(v);
    }
    static void real(onnx::NodeProto* n, const std::string& name, float v) {
        auto* a = n->add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(v);
    }
    static void text(onnx::NodeProto* n, const std::string& name, const std::string& v) {
        auto* a = n->add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::STRING);
        a->set_s(v);
    }
    std::string save(const std::string& name) {
        const std::string path = std::string(NPUSIM_TEST_TMP) + "/" + name + ".onnx";
        std::ofstream out(path, std::ios::binary);
        model.SerializeToOstream(&out);
        return path;
    }
};

}  // namespace npu::test

#include "workloads/import/onnx_patterns.h"

#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "workloads/import/onnx_tensor.h"

namespace npu::onnx_convert {
namespace {

class Matcher {
public:
    explicit Matcher(const onnx::GraphProto& g) : m_graph(g) {
        for (int i = 0; i < g.node_size(); ++i) {
            const onnx::NodeProto& n = g.node(i);
            for (const std::string& out : n.output()) m_producer[out] = i;
            for (const std::string& in : n.input()) m_readers[in].push_back(i);
        }
        for (const auto& out : g.output()) m_readers[out.name()].push_back(-1);  // read outside the nodes
        for (const auto& t : g.initializer()) {
            m_all_initializers.insert(t.name());
            if (t.dims_size() == 0 || (t.dims_size() == 1 && t.dims(0) == 1)) m_initializers[t.name()] = &t;
        }
    }

    const onnx::NodeProto& node(int i) const { return m_graph.node(i); }

    // The one node that reads `name`, if it is an `op`; -1 otherwise.
    int sole_reader(const std::string& name, const char* op) const {
        const auto r = m_readers.find(name);
        if (r == m_readers.end() || r->second.size() != 1 || r->second[0] < 0) return -1;
        return node(r->second[0]).op_type() == op ? r->second[0] : -1;
    }
    size_t reader_count(const std::string& name) const { return readers(name).size(); }
    const std::vector<int>& readers(const std::string& name) const {
        static const std::vector<int> none;
        const auto r = m_readers.find(name);
        return r == m_readers.end() ? none : r->second;
    }
    // An initializer or a Constant node's output (any shape), also through Identity nodes (as
    // PyTorch aliases equal initializers).
    bool is_constant(const std::string& name) const {
        const std::string& source = through_identity(name);
        return !source.empty() && (producer(source, "Constant") >= 0 || m_all_initializers.count(source) > 0);
    }
    const std::string& through_identity(const std::string& name) const {
        const std::string* at = &name;
        for (int hops = 0; hops < 16; ++hops) {
            const int i = producer(*at, "Identity");
            if (i < 0 || node(i).input_size() != 1) break;
            at = &node(i).input(0);
        }
        return *at;
    }
    int producer(const std::string& name, const char* op) const {
        const auto p = m_producer.find(name);
        return p != m_producer.end() && node(p->second).op_type() == op ? p->second : -1;
    }

    // A one-element float constant (a Constant node's value or an initializer).
    std::optional<double> scalar(const std::string& alias) const {
        const std::string& name = through_identity(alias);
        const onnx::TensorProto* t = nullptr;
        const int c = producer(name, "Constant");
        if (c >= 0) {
            for (const auto& a : node(c).attribute())
                if (a.name() == "value" && a.has_t()) t = &a.t();
        } else if (const auto i = m_initializers.find(name); i != m_initializers.end()) {
            t = i->second;
        }
        if (!t || t->data_type() != onnx::TensorProto::FLOAT) return std::nullopt;
        try {
            const OnnxTensor v = decode_tensor(*t, "pattern");
            if (v.values.size() == 1) return v.values[0];
        } catch (const std::exception&) {
        }
        return std::nullopt;
    }
    bool is_scalar(const std::string& name, double want, double tolerance) const {
        const std::optional<double> v = scalar(name);
        return v && std::fabs(*v - want) <= tolerance;
    }
    // The input of binary node `i` other than `known`, or "" when `known` is not one of them.
    std::string other_input(int i, const std::string& known) const {
        const onnx::NodeProto& n = node(i);
        if (n.input_size() != 2) return "";
        if (n.input(0) == known) return n.input(1);
        return n.input(1) == known ? n.input(0) : "";
    }

private:
    const onnx::GraphProto& m_graph;
    std::map<std::string, int> m_producer;
    std::map<std::string, std::vector<int>> m_readers;
    std::map<std::string, const onnx::TensorProto*> m_initializers;  // one-element ones
    std::set<std::string> m_all_initializers;
};

// The fused node's name: the chain's scope (PyTorch names nodes "/module/path/Op_k") and the
// operator, or the last node's name where there is no scope.
std::string fused_name(const onnx::NodeProto& first, const onnx::NodeProto& last, const std::string& op) {
    const size_t slash = first.name().rfind('/');
    return slash == std::string::npos ? last.name() : first.name().substr(0, slash + 1) + op;
}

struct Match {
    std::vector<int> nodes;  // the chain, the last one replaced by `fused`
    onnx::NodeProto fused;
};

// Div(x, sqrt 2) -> Erf -> Add(1) -> Mul(x, .) -> Mul(0.5), starting at the Erf.
std::optional<Match> gelu_at(const Matcher& m, int erf) {
    const onnx::NodeProto& e = m.node(erf);
    const int div = m.producer(e.input(0), "Div");
    if (div < 0 || m.reader_count(e.input(0)) != 1) return std::nullopt;
    const std::string x = m.node(div).input(0);
    if (m.node(div).input_size() != 2 || !m.is_scalar(m.node(div).input(1), std::sqrt(2.0), 1e-6)) return std::nullopt;
    const int add = m.sole_reader(e.output(0), "Add");
    if (add < 0 || !m.is_scalar(m.other_input(add, e.output(0)), 1.0, 0.0)) return std::nullopt;
    const int mul = m.sole_reader(m.node(add).output(0), "Mul");
    if (mul < 0 || m.other_input(mul, m.node(add).output(0)) != x) return std::nullopt;
    const int half = m.sole_reader(m.node(mul).output(0), "Mul");
    if (half < 0 || !m.is_scalar(m.other_input(half, m.node(mul).output(0)), 0.5, 0.0)) return std::nullopt;
    Match out{{div, erf, add, mul, half}, {}};
    out.fused.set_op_type("Gelu");
    out.fused.set_name(fused_name(m.node(div), m.node(half), "Gelu"));
    out.fused.add_input(x);
    out.fused.add_output(m.node(half).output(0));
    return out;
}

// ReduceMean over the last axis only, keeping it.
bool last_axis_mean(const Matcher& m, int i) {
    const onnx::NodeProto& n = m.node(i);
    if (n.input_size() != 1) return false;
    bool last = false, keep = true;
    for (const auto& a : n.attribute()) {
        if (a.name() == "axes") last = a.ints_size() == 1 && a.ints(0) == -1;
        if (a.name() == "keepdims") keep = a.i() != 0;
    }
    return last && keep;
}

// The two readers of x - mean: Pow(., 2) and Div(., root), in either order.
bool centred_readers(const Matcher& m, const std::string& centred, int& pow, int& div) {
    const std::vector<int>& r = m.readers(centred);
    if (r.size() != 2 || r[0] < 0 || r[1] < 0) return false;
    for (int k : r) {
        const std::string& op = m.node(k).op_type();
        if (op == "Pow") pow = k;
        if (op == "Div") div = k;
    }
    return pow >= 0 && div >= 0 && m.node(pow).input(0) == centred && m.node(div).input(0) == centred &&
           m.node(pow).input_size() == 2 && m.is_scalar(m.node(pow).input(1), 2.0, 0.0);
}

std::optional<Match> layer_norm_at(const Matcher& m, int mean) {
    if (!last_axis_mean(m, mean)) return std::nullopt;
    const std::string x = m.node(mean).input(0), mu = m.node(mean).output(0);
    const int sub = m.sole_reader(mu, "Sub");
    if (sub < 0 || m.node(sub).input(0) != x || m.node(sub).input(1) != mu) return std::nullopt;
    const std::string centred = m.node(sub).output(0);
    int pow = -1, div = -1;
    if (!centred_readers(m, centred, pow, div)) return std::nullopt;
    const int variance = m.sole_reader(m.node(pow).output(0), "ReduceMean");
    if (variance < 0 || !last_axis_mean(m, variance)) return std::nullopt;
    const int plus = m.sole_reader(m.node(variance).output(0), "Add");
    const std::optional<double> eps =
        plus < 0 ? std::nullopt : m.scalar(m.other_input(plus, m.node(variance).output(0)));
    if (!eps || !(*eps > 0.0)) return std::nullopt;
    const int root = m.sole_reader(m.node(plus).output(0), "Sqrt");
    if (root < 0 || m.sole_reader(m.node(root).output(0), "Div") != div ||
        m.node(div).input(1) != m.node(root).output(0))
        return std::nullopt;
    Match out{{mean, sub, pow, variance, plus, root, div}, {}};
    std::string last = m.node(div).output(0), scale, bias;
    const int mul = m.sole_reader(last, "Mul");
    if (mul >= 0 && m.is_constant(m.other_input(mul, last))) {
        scale = m.other_input(mul, last);
        last = m.node(mul).output(0);
        out.nodes.push_back(mul);
        const int add = m.sole_reader(last, "Add");
        if (add >= 0 && m.is_constant(m.other_input(add, last))) {
            bias = m.other_input(add, last);
            last = m.node(add).output(0);
            out.nodes.push_back(add);
        }
    }
    onnx::NodeProto& f = out.fused;
    f.set_op_type("LayerNormalization");
    f.set_name(fused_name(m.node(mean), m.node(out.nodes.back()), "LayerNormalization"));
    f.add_input(x);
    f.add_input(scale);  // "" when the chain has none: the converter takes ones
    if (!bias.empty()) f.add_input(bias);
    f.add_output(last);
    onnx::AttributeProto* axis = f.add_attribute();
    axis->set_name("axis");
    axis->set_type(onnx::AttributeProto::INT);
    axis->set_i(-1);
    onnx::AttributeProto* epsilon = f.add_attribute();
    epsilon->set_name("epsilon");
    epsilon->set_type(onnx::AttributeProto::FLOAT);
    epsilon->set_f(float(*eps));
    return out;
}

}  // namespace

FusedNodes fuse_patterns(const onnx::GraphProto& g) {
    const Matcher m(g);
    std::set<int> removed;
    std::map<int, size_t> replaced;  // node index -> FusedNodes::made index
    FusedNodes out;
    for (int i = 0; i < g.node_size(); ++i) {
        const std::string& op = g.node(i).op_type();
        std::optional<Match> found;
        if (op == "Erf") found = gelu_at(m, i);
        if (op == "ReduceMean") found = layer_norm_at(m, i);
        if (!found) continue;
        bool free = true;
        for (int k : found->nodes) free = free && !removed.count(k);
        if (!free) continue;
        for (int k : found->nodes) removed.insert(k);
        replaced[found->nodes.back()] = out.made.size();
        out.made.push_back(std::move(found->fused));
    }
    for (int i = 0; i < g.node_size(); ++i) {
        const auto r = replaced.find(i);
        if (r != replaced.end())
            out.order.push_back(&out.made[r->second]);
        else if (!removed.count(i))
            out.order.push_back(&g.node(i));
    }
    return out;
}

}  // namespace npu::onnx_convert

// Ops on the systolic array: conv2d (grouped, dilated, strided, padded) and fully connected.
#include <fmt/format.h>

#include <cmath>

#include "common/limits.h"
#include "common/yaml_reader.h"
#include "workloads/ir/float_model.h"
#include "workloads/ir/seeded_rng.h"
#include "workloads/ops/op_registry_parts.h"
#include "workloads/ops/op_yaml.h"
#include "workloads/ops/window_shape.h"

namespace npu {
namespace {

// The parts conv2d and fc share: output channels, bias, fan-in.
int64_t outputs_of(const Layer& l) { return l.kind == LayerKind::Conv2d ? l.conv.filters : l.fc.out_features; }
bool bias_of(const Layer& l) { return l.kind == LayerKind::Conv2d ? l.conv.bias : l.fc.bias; }
int64_t fan_in(const LayerView& v) {
    const Layer& l = v.layer();
    if (l.kind == LayerKind::FullyConnected) return v.input().per_image();
    return (v.input().c / l.conv.groups) * l.conv.window.kernel_h * l.conv.window.kernel_w;
}

void read_given_values(const YamlMap& m, Layer& l) {
    if (m.has("weights")) l.weights = read_floats(m, "weights");
    if (m.has("bias_values")) l.bias_values = read_floats(m, "bias_values");
}

int64_t weight_count(const LayerView& v) {
    const Layer& l = v.layer();
    if (l.kind == LayerKind::FullyConnected) return saturating_product({v.input().per_image(), l.fc.out_features});
    const Window2d& w = l.conv.window;
    return saturating_product({l.conv.filters, v.input().c / l.conv.groups, w.kernel_h, w.kernel_w});
}
int64_t param_count(const LayerView& v) { return weight_count(v) + (bias_of(v.layer()) ? outputs_of(v.layer()) : 0); }
int64_t records(const Layer& l) { return outputs_of(l); }

void check_given(const LayerView& v) {
    const Layer& l = v.layer();
    auto check = [&](const std::vector<float>& values, int64_t expected, const char* what) {
        if (!values.empty() && int64_t(values.size()) != expected)
            v.fail(fmt::format("{} has {} values, the shapes need {}", what, values.size(), expected));
    };
    check(l.weights, weight_count(v), "weights");
    if (!bias_of(l) && !l.bias_values.empty()) v.fail("bias_values given but bias is false");
    check(l.bias_values, outputs_of(l), "bias_values");
}

// He-normal weights (std sqrt(2 / fan_in)) and biases uniform in [-0.1, 0.1], unless given.
void make_tensors(const LayerView& v, SeededRng& rng, LayerTensors& t) {
    const Layer& l = v.layer();
    const int64_t outs = outputs_of(l);
    const double stddev = std::sqrt(2.0 / double(fan_in(v)));
    t.weight = l.weights;
    if (t.weight.empty()) {
        t.weight.resize(size_t(outs * fan_in(v)));
        rng.fill_normal(t.weight.data(), t.weight.size(), 0.0, stddev);
    }
    t.bias = l.bias_values;
    if (t.bias.empty()) {
        t.bias.assign(size_t(outs), 0.0f);
        if (bias_of(l))
            for (float& b : t.bias) b = float(rng.uniform(-0.1, 0.1));
    }
}

void read_conv(const YamlMap& m, const Graph&, Layer& l) {
    l.conv.filters = m.get_int("filters");
    l.conv.groups = m.get_int_or("groups", 1);
    l.conv.bias = m.get_bool_or("bias", true);
    l.conv.window = read_window(m, false);
    l.activation = read_activation(m);
    read_given_values(m, l);
}

Shape conv_shape(const LayerView& v) {
    const ConvAttrs& c = v.layer().conv;
    const Shape in = v.input();
    if (c.filters < 1) v.fail("filters must be >= 1");
    if (c.groups < 1) v.fail("groups must be >= 1");
    if (in.c % c.groups != 0) v.fail(fmt::format("input channels {} are not divisible by groups {}", in.c, c.groups));
    if (c.filters % c.groups != 0)
        v.fail(fmt::format("filters {} are not divisible by groups {}", c.filters, c.groups));
    return window_shape(v, c.window, c.filters);
}

int64_t conv_macs(const LayerView& v) {
    const Layer& l = v.layer();
    const Window2d& w = l.conv.window;
    return saturating_product({l.output.elements(), v.input().c / l.conv.groups, w.kernel_h, w.kernel_w});
}

void read_fc(const YamlMap& m, const Graph&, Layer& l) {
    l.fc.out_features = m.get_int("out_features");
    l.fc.bias = m.get_bool_or("bias", true);
    l.activation = read_activation(m);
    read_given_values(m, l);
}

Shape fc_shape(const LayerView& v) {
    if (v.layer().fc.out_features < 1) v.fail("out_features must be >= 1");
    return Shape{v.input().n, v.layer().fc.out_features, 1, 1};
}

int64_t fc_macs(const LayerView& v) {
    return saturating_product({v.input().n, v.input().per_image(), v.layer().fc.out_features});
}

OpDef array_op(LayerKind kind, const char* name) {
    OpDef d{kind, name};
    d.unit = OpUnit::Array;
    d.takes_activation = true;
    d.weights = weight_count;
    d.params = param_count;
    d.channel_records = records;
    d.check_given = check_given;
    d.make_tensors = make_tensors;
    return d;
}

}  // namespace

OpDef conv2d_op() {
    OpDef d = array_op(LayerKind::Conv2d, "conv2d");
    d.read_yaml = read_conv;
    d.infer_shape = conv_shape;
    d.macs = conv_macs;
    d.absorb_batchnorm = [](Layer& l) { l.conv.bias = true; };
    return d;
}

OpDef fc_op() {
    OpDef d = array_op(LayerKind::FullyConnected, "fc");
    d.read_yaml = read_fc;
    d.infer_shape = fc_shape;
    d.macs = fc_macs;
    d.absorb_batchnorm = [](Layer& l) { l.fc.bias = true; };
    return d;
}

}  // namespace npu

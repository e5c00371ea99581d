// Element-wise ops on the vector unit: relu, relu6, clip, add, a standalone batchnorm, softmax,
// the unary functions (sigmoid, hard sigmoid, tanh) and the product.
#include <fmt/format.h>

#include <cmath>

#include "common/yaml_reader.h"
#include "workloads/ir/float_model.h"
#include "workloads/ir/seeded_rng.h"
#include "workloads/ops/op_registry_parts.h"
#include "workloads/ops/op_yaml.h"

namespace npu {
namespace {

Shape same_shape(const LayerView& v) { return v.input(); }

// Scale and shift from random statistics (gamma, beta, mean, variance), unless given.
void make_batchnorm(const LayerView& v, SeededRng& rng, LayerTensors& t) {
    const Layer& l = v.layer();
    if (!l.weights.empty()) {  // given as scale and shift
        t.weight = l.weights;
        t.bias = l.bias_values;
        return;
    }
    const int64_t channels = l.output.c;
    t.weight.resize(size_t(channels));
    t.bias.resize(size_t(channels));
    for (int64_t c = 0; c < channels; ++c) {
        const double gamma = rng.uniform(0.5, 1.0), beta = rng.uniform(-0.1, 0.1);
        const double mean = rng.uniform(-0.1, 0.1), var = rng.uniform(0.5, 1.5);
        const double scale = gamma / std::sqrt(var + 1e-5);
        t.weight[size_t(c)] = float(scale);
        t.bias[size_t(c)] = float(beta - mean * scale);
    }
}

Shape add_shape(const LayerView& v) {
    const Graph& g = v.graph;
    const Layer& l = v.layer();
    if (v.input(1) != v.input(0))
        v.fail(fmt::format("add needs equal shapes, got {} ('{}') and {} ('{}')", v.input(0).str(),
                           g.layers[size_t(l.inputs[0])].name, v.input(1).str(), g.layers[size_t(l.inputs[1])].name));
    return v.input();
}

// mul: equal shapes, or the second input one value per channel (N x C x 1 x 1), as a
// squeeze-and-excitation block scales its input.
Shape mul_shape(const LayerView& v) {
    const Shape a = v.input(0), b = v.input(1);
    if (b != a && !(b.n == a.n && b.c == a.c && b.h == 1 && b.w == 1))
        v.fail(
            fmt::format("mul needs equal shapes or a second input of N x C x 1 x 1, got {} and {}", a.str(), b.str()));
    return a;
}

void read_unary(const YamlMap& m, const Graph&, Layer& l) {
    const std::string f = m.get_string("function");
    if (f == "sigmoid")
        l.unary.fn = UnaryFn::Sigmoid;
    else if (f == "hard_sigmoid")
        l.unary.fn = UnaryFn::HardSigmoid;
    else if (f == "tanh")
        l.unary.fn = UnaryFn::Tanh;
    else if (f == "gelu")
        l.unary.fn = UnaryFn::Gelu;
    else if (f == "erf")
        l.unary.fn = UnaryFn::Erf;
    else if (f == "sqrt")
        l.unary.fn = UnaryFn::Sqrt;
    else
        m.fail("function", fmt::format("unknown function '{}' (sigmoid, hard_sigmoid, tanh, gelu, erf, sqrt)", f));
    l.unary.alpha = float(m.get_double_or("alpha", l.unary.alpha));
    l.unary.beta = float(m.get_double_or("beta", l.unary.beta));
}

// gamma and beta, unless given (as weights and bias_values).
void make_layer_norm(const LayerView& v, SeededRng& rng, LayerTensors& t) {
    const Layer& l = v.layer();
    if (!l.weights.empty()) {
        t.weight = l.weights;
        t.bias = l.bias_values;
        return;
    }
    for (int64_t c = 0; c < l.output.c; ++c) {
        t.weight.push_back(float(rng.uniform(0.5, 1.5)));
        t.bias.push_back(float(rng.uniform(-0.1, 0.1)));
    }
}

}  // namespace

OpDef unary_op() {
    OpDef d{LayerKind::Unary, "unary"};
    d.read_yaml = read_unary;
    d.infer_shape = same_shape;
    return d;
}

OpDef mul_op() {
    OpDef d{LayerKind::Mul, "mul"};
    d.min_inputs = d.max_inputs = 2;
    d.infer_shape = mul_shape;
    return d;
}

OpDef relu_op() {
    OpDef d{LayerKind::Relu, "relu"};
    d.infer_shape = same_shape;
    return d;
}

OpDef relu6_op() {
    OpDef d{LayerKind::Relu6, "relu6"};
    d.infer_shape = same_shape;
    return d;
}

OpDef clip_op() {
    OpDef d{LayerKind::Clip, "clip"};
    d.read_yaml = [](const YamlMap& m, const Graph&, Layer& l) {
        l.clip.min = float(m.get_double_or("min", l.clip.min));
        l.clip.max = float(m.get_double_or("max", l.clip.max));
    };
    d.infer_shape = [](const LayerView& v) {
        const ClipAttrs& c = v.layer().clip;
        if (!(c.min <= c.max)) v.fail(fmt::format("clip min {} is above max {}", c.min, c.max));
        return v.input();
    };
    return d;
}

OpDef add_op() {
    OpDef d{LayerKind::Add, "add"};
    d.min_inputs = d.max_inputs = 2;
    d.takes_activation = true;
    d.read_yaml = [](const YamlMap& m, const Graph&, Layer& l) { l.activation = read_activation(m); };
    d.infer_shape = add_shape;
    return d;
}

OpDef batchnorm_op() {
    OpDef d{LayerKind::BatchNorm, "batchnorm"};
    d.infer_shape = same_shape;
    d.params = [](const LayerView& v) { return 2 * v.layer().output.c; };
    d.channel_records = [](const Layer& l) { return l.output.c; };
    d.make_tensors = make_batchnorm;
    return d;
}

// Layer normalization over the channels of each pixel, as ConvNeXt's LayerNorm (channels last)
// computes it; its learned scale and shift are a batchnorm layer after it.
OpDef layer_norm_op() {
    OpDef d{LayerKind::LayerNorm, "layer_norm"};
    d.read_yaml = [](const YamlMap& m, const Graph&, Layer& l) {
        l.norm_epsilon = float(m.get_double_or("epsilon", l.norm_epsilon));
    };
    d.infer_shape = [](const LayerView& v) {
        const float e = v.layer().norm_epsilon;
        if (!(e > 0.0f && e < 1.0f)) v.fail(fmt::format("layer_norm epsilon must be in (0, 1), got {}", e));
        return v.input();
    };
    d.params = [](const LayerView& v) { return 2 * v.layer().output.c; };
    d.channel_records = [](const Layer& l) { return l.output.c; };  // {gamma, beta, 0}
    d.make_tensors = make_layer_norm;
    return d;
}

OpDef softmax_op() {
    OpDef d{LayerKind::Softmax, "softmax"};
    d.read_yaml = [](const YamlMap& m, const Graph&, Layer& l) { l.softmax.axis = int(m.get_int_or("axis", 1)); };
    d.infer_shape = [](const LayerView& v) {
        if (v.layer().softmax.axis < 0 || v.layer().softmax.axis > 3) v.fail("softmax axis must be 0..3 (n, c, h, w)");
        return v.input();
    };
    return d;
}

}  // namespace npu

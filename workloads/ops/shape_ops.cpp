// Ops that move no values through a compute unit: the input, views of the same bytes under
// another shape (flatten, reshape), and concat (each input copied into its place).
#include <fmt/format.h>

#include "common/limits.h"
#include "common/yaml_reader.h"
#include "workloads/ops/op_registry_parts.h"

namespace npu {
namespace {

Shape concat_shape(const LayerView& v) {
    const Layer& l = v.layer();
    const int axis = l.concat_axis;
    if (axis < 0 || axis > 3) v.fail("concat axis must be 0..3 (n, c, h, w)");
    Shape out = v.input(0);
    for (size_t k = 1; k < l.inputs.size(); ++k) {
        const Shape s = v.input(k);
        for (int d = 0; d < 4; ++d)
            if (d != axis && s.dim(d) != out.dim(d))
                v.fail(fmt::format("concat along axis {} needs equal other dimensions, got {} and {}", axis, out.str(),
                                   s.str()));
        out.dim(axis) += s.dim(axis);
    }
    return out;
}

void read_reshape(const YamlMap& m, const Graph& graph, Layer& l) {
    const std::vector<int64_t> s = m.get_int_list("shape");
    if (s.size() != 3 || s[0] < 1 || s[1] < 1 || s[2] < 1)
        m.fail("shape", "expected [channels, height, width] of one image, each >= 1");
    l.reshape_to = Shape{graph.input().output.n, s[0], s[1], s[2]};
    l.reshape_keeps_batch = true;
}

Shape reshape_shape(const LayerView& v) {
    const Shape& to = v.layer().reshape_to;
    if (saturating_product({to.n, to.c, to.h, to.w}) != v.input().elements())
        v.fail(fmt::format("reshape from {} to {} changes the element count", v.input().str(), to.str()));
    return to;
}

}  // namespace

OpDef input_op() {
    OpDef d{LayerKind::Input, "input"};
    d.min_inputs = d.max_inputs = 0;
    d.unit = OpUnit::None;
    d.in_model_files = false;
    d.infer_shape = [](const LayerView& v) {
        const Shape& s = v.layer().output;
        if (s.n < 1 || s.c < 1 || s.h < 1 || s.w < 1) v.fail(fmt::format("input shape {} must be positive", s.str()));
        return s;
    };
    d.check_given = [](const LayerView& v) {
        const Layer& l = v.layer();
        if (!l.input_data.empty() && int64_t(l.input_data.size()) != l.output.per_image())
            v.fail(fmt::format("data has {} values, the shapes need {}", l.input_data.size(), l.output.per_image()));
    };
    return d;
}

OpDef flatten_op() {
    OpDef d{LayerKind::Flatten, "flatten"};
    d.unit = OpUnit::None;
    d.aliases_input = true;
    d.infer_shape = [](const LayerView& v) { return Shape{v.input().n, v.input().per_image(), 1, 1}; };
    return d;
}

OpDef reshape_op() {
    OpDef d{LayerKind::Reshape, "reshape"};
    d.unit = OpUnit::None;
    d.aliases_input = true;
    d.read_yaml = read_reshape;
    d.infer_shape = reshape_shape;
    return d;
}

OpDef concat_op() {
    OpDef d{LayerKind::Concat, "concat"};
    d.max_inputs = -1;
    d.read_yaml = [](const YamlMap& m, const Graph&, Layer& l) { l.concat_axis = int(m.get_int_or("axis", 1)); };
    d.infer_shape = concat_shape;
    return d;
}

}  // namespace npu

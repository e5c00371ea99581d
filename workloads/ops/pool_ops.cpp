// Pooling on the vector unit: max and average over a window, and the global average.
#include "common/yaml_reader.h"
#include "workloads/ops/op_registry_parts.h"
#include "workloads/ops/op_yaml.h"
#include "workloads/ops/window_shape.h"

namespace npu {
namespace {

Shape pooled_shape(const LayerView& v) { return window_shape(v, v.layer().pool.window, v.input().c); }

}  // namespace

OpDef maxpool_op() {
    OpDef d{LayerKind::MaxPool, "maxpool"};
    d.read_yaml = [](const YamlMap& m, const Graph&, Layer& l) { l.pool.window = read_window(m, true); };
    d.infer_shape = pooled_shape;
    return d;
}

OpDef avgpool_op() {
    OpDef d{LayerKind::AvgPool, "avgpool"};
    d.read_yaml = [](const YamlMap& m, const Graph&, Layer& l) {
        l.pool.window = read_window(m, true);
        l.pool.count_include_pad = m.get_bool_or("count_include_pad", false);
    };
    d.infer_shape = pooled_shape;
    return d;
}

OpDef global_avgpool_op() {
    OpDef d{LayerKind::GlobalAvgPool, "global_avgpool"};
    d.infer_shape = [](const LayerView& v) { return Shape{v.input().n, v.input().c, 1, 1}; };
    return d;
}

}  // namespace npu

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <vector>

#include "common/error.h"
#include "workloads/ir/kind_table.h"
#include "workloads/ops/op_registry_parts.h"

namespace npu {
namespace {

using OpTable = std::array<OpDef, kLayerKindCount>;

OpTable build_table() {
    const OpTable table = {input_op(), conv2d_op(),          fc_op(),         relu_op(),
                           relu6_op(), maxpool_op(),         avgpool_op(),    global_avgpool_op(),
                           add_op(),   batchnorm_op(),       softmax_op(),    flatten_op(),
                           clip_op(),  concat_op(),          unary_op(),      mul_op(),
                           slice_op(), channel_shuffle_op(), layer_norm_op(), reshape_op()};
    return require_kind_order(table, "op registry", [](const OpDef& d) { return d.infer_shape != nullptr; });
}

const OpTable& table() {
    static const OpTable t = build_table();
    return t;
}

}  // namespace

const char* unit_name(OpUnit unit) {
    switch (unit) {
        case OpUnit::None: return "";
        case OpUnit::Array: return "array";
        case OpUnit::Vector: return "vector";
    }
    return "?";
}

void LayerView::fail(const std::string& what) const {
    throw WorkloadError(fmt::format("{}: {}", graph.where(index), what));
}

const OpDef& op_def(LayerKind kind) { return table()[size_t(kind)]; }

const OpDef* find_op(std::string_view name) {
    for (const OpDef& d : table())
        if (name == d.name) return &d;
    return nullptr;
}

std::string model_file_op_names() {
    std::vector<std::string> names;
    for (const OpDef& d : table())
        if (d.in_model_files) names.push_back(d.name);
    std::sort(names.begin(), names.end());
    std::string text;
    for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
    return text;
}

// kind_name and has_weights predate the registry; they read it.
const char* kind_name(LayerKind kind) { return op_def(kind).name; }
bool has_weights(LayerKind kind) { return op_def(kind).channel_records != nullptr; }

}  // namespace npu

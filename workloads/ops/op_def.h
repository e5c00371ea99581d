#pragma once
// The op registry's first layer: what a layer kind is, in one place. Each kind's OpDef (in
// workloads/ops/<family>_ops.cpp) says how many inputs it takes, which block computes it, how its
// attributes are read from a model file, how its output shape and MAC count follow from its
// inputs, and how its parameters are seeded. The CPU reference (kernels/cpu/ops) and the lowering
// (sim/compiler/lowering_table.cpp) register their entries per kind beside it, so a new op is one
// entry per layer of the stack.
#include <cstdint>
#include <string>
#include <string_view>

#include "workloads/ir/graph.h"

namespace npu {

class YamlMap;
class SeededRng;
struct LayerTensors;

// The block that computes a kind on the NPU (reports name it per layer).
enum class OpUnit {
    None,    // no work: an input, or a view of its input's bytes (flatten, reshape)
    Array,   // GEMMs on the systolic array (conv2d, fc)
    Vector,  // element-wise and window ops on the vector unit, and the moves beside it (concat, slice)
};
const char* unit_name(OpUnit unit);  // "", "array", "vector"

// One layer of a graph whose inputs' shapes are known: what the hooks below see.
struct LayerView {
    const Graph& graph;
    int index;

    const Layer& layer() const { return graph.layers[size_t(index)]; }
    const Shape& input(size_t k = 0) const { return graph.layers[size_t(layer().inputs[k])].output; }
    // WorkloadError naming the model, file, line and layer.
    [[noreturn]] void fail(const std::string& what) const;
};

struct OpDef {
    LayerKind kind;
    const char* name;  // the model-file `type` and the name reports print
    int min_inputs = 1;
    int max_inputs = 1;  // -1: any number
    OpUnit unit = OpUnit::Vector;
    bool in_model_files = true;     // written as a layer `type` (the input has its own section)
    bool aliases_input = false;     // the output is the input's bytes under another shape
    bool takes_activation = false;  // a following relu/relu6 may fuse into it
    // Attributes from a model file's layer mapping (keys other than name, type and inputs).
    void (*read_yaml)(const YamlMap& m, const Graph& graph, Layer& layer) = nullptr;
    // The output shape; checks the attributes against the inputs (LayerView::fail on a mismatch).
    Shape (*infer_shape)(const LayerView& v) = nullptr;
    // Multiply-accumulates, weight elements, learned parameters; nullptr: none.
    int64_t (*macs)(const LayerView& v) = nullptr;
    int64_t (*weights)(const LayerView& v) = nullptr;
    int64_t (*params)(const LayerView& v) = nullptr;
    // Per-output-channel records in DRAM (bias and requantization, or scale and shift); 0: none.
    int64_t (*channel_records)(const Layer& layer) = nullptr;
    // Values given in the model file have the sizes the shapes need.
    void (*check_given)(const LayerView& v) = nullptr;
    // Seeded parameters when the file gives none (the seed stream is consumed in layer order).
    void (*make_tensors)(const LayerView& v, SeededRng& rng, LayerTensors& out) = nullptr;
    // A batchnorm right after it folds into its weights and bias (the bias becomes present).
    void (*absorb_batchnorm)(Layer& layer) = nullptr;
};

const OpDef& op_def(LayerKind kind);
const OpDef* find_op(std::string_view name);  // by OpDef::name; nullptr if unknown
std::string model_file_op_names();            // "add, avgpool, ..." for error messages

}  // namespace npu

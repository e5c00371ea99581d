#pragma once
// The ONNX-to-graph converter behind import_onnx (onnx_import.h): one pass over the model's
// nodes in order. Internal to workloads/import: onnx_converter.cpp reads the graph, its inputs,
// attributes and windows; onnx_converter_ops.cpp turns each supported operator into layers.
#include <onnx/onnx_pb.h>

#include <array>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "workloads/import/onnx_import.h"
#include "workloads/import/onnx_tensor.h"

namespace npu::onnx_convert {

struct Value {
    int layer;
    std::vector<int64_t> dims;  // ONNX dims
    // The ONNX tensor is the layer's NCHW output transposed to N x H x W x C (a Transpose
    // [0, 2, 3, 1]), as ConvNeXt computes its layer norms and MLPs; `dims` are the transposed ones.
    bool channels_last = false;
};

// A zero Pad's output, waiting for the Conv or AveragePool that reads it to take its pads.
struct PendingPad {
    std::string input;                // the padded tensor
    std::vector<int64_t> begin, end;  // per spatial axis
};

// The first two of a channel shuffle's three nodes, waiting for the reshape back (ShuffleNet).
struct PendingShuffle {
    Value view;                     // the shuffled layer and the 5-D dims seen so far
    std::vector<int64_t> original;  // the 4-D dims before the reshape to N x g x C/g x H x W
    int64_t groups = 1;
    bool transposed = false;
};

class Converter {
public:
    struct SliceArgs {
        std::array<std::vector<double>, 4> given;  // starts, ends, axes, steps
    };

    // `held_back`: the initializers' raw_data kept out of `model` (onnx_payloads.h), in graph order.
    Converter(const onnx::ModelProto& model, const std::string& path, const OnnxImportOptions& options,
              const std::vector<std::string_view>& held_back = {})
        : m_model(model), m_path(path), m_options(options), m_held_back(held_back) {
        for (const auto& op : model.opset_import())
            if (op.domain().empty() || op.domain() == "ai.onnx") m_opset = op.version();
        m_out.graph.name = std::filesystem::path(path).stem().string();
        m_out.graph.source = path;
        m_out.opset = m_opset;
    }

    OnnxImport run();

private:
    static std::string node_name(const onnx::NodeProto& n);
    std::string where(const onnx::NodeProto& n) const;

    void check_operators(const std::vector<const onnx::NodeProto*>& nodes);

    // Names that nodes read in weight positions: these must be constants.
    static std::set<std::string> constant_inputs(const onnx::GraphProto& g);

    void add_input(const onnx::ValueInfoProto& in, const OnnxTensor* value);

    // Input i's value; value() refuses a channels-last view, which only the channels-last
    // operators below read (view()).
    const Value& value(const onnx::NodeProto& n, int i) const;
    const Value& view(const onnx::NodeProto& n, int i) const;
    bool is_constant_input(const onnx::NodeProto& n, int i) const;
    const OnnxTensor* constant(const onnx::NodeProto& n, int i) const;

    static const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const std::string& name);
    // Integer attributes stay below 2^31 in magnitude, as in every npusim file (limits.h).
    static int64_t checked_int(const onnx::NodeProto& n, const std::string& name, int64_t v);
    static int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t fallback);
    static float attr_float(const onnx::NodeProto& n, const std::string& name, float fallback);
    static std::vector<int64_t> attr_ints(const onnx::NodeProto& n, const std::string& name);
    static std::string attr_string(const onnx::NodeProto& n, const std::string& name, const std::string& fallback);

    // The layer computing output `output` of n (named after n, with "_k" for output k > 0).
    int add_layer(Layer l, const onnx::NodeProto& n, std::vector<int64_t> dims, int output = 0);

    // Window attributes of Conv and the pools over a rank-3 or rank-4 input.
    Window2d window(const onnx::NodeProto& n, const std::vector<int64_t>& in, std::vector<int64_t> kernel);

    static std::vector<int64_t> window_dims(const std::vector<int64_t>& in, int64_t channels, const Window2d& w);

    void convert(const onnx::NodeProto& n);

    void constant_node(const onnx::NodeProto& n);

    // Identity, and Dropout in inference: the output names the input's tensor, no layer.
    void pass_through(const onnx::NodeProto& n);
    // ReduceMean over the spatial axes only: a global average pool (then a reshape without keepdims).
    void reduce_mean(const onnx::NodeProto& n);
    // Pad with zeros on the spatial axes: folded into the Conv or AveragePool that reads it (as
    // PyTorch exports an average pool with count_include_pad); all-zero pads pass through.
    void pad(const onnx::NodeProto& n);
    // Sigmoid, HardSigmoid, Tanh, Erf, Sqrt; HardSwish as x * HardSigmoid(x) with alpha 1/6 (two layers).
    void unary(const onnx::NodeProto& n);
    // Mul of equal shapes, or with one operand N x C x 1 x 1 (put second).
    void mul(const onnx::NodeProto& n);
    // Node n's input 0 if it is a pending Pad's output: the padded tensor's value, and the Pad's
    // amounts added to `w` (nullptr otherwise).
    const PendingPad* take_pad(const onnx::NodeProto& n, Window2d& w) const;
    // Input 0 of a Conv or pool: the padded tensor when it reads a pending Pad.
    const Value& padded_input(const onnx::NodeProto& n) const;
    // The global average pool of `x` as node n's output: N x C x 1 (x 1).
    int global_average(const onnx::NodeProto& n, const Value& x);

    void conv(const onnx::NodeProto& n);

    // Gemm: alpha * A' * B' + beta * C; MatMul: A * B. A is [M, K]; the constant B is stored
    // as an fc layer's [out][in] weights.
    void gemm(const onnx::NodeProto& n);

    void pool(const onnx::NodeProto& n);

    void clip(const onnx::NodeProto& n);

    void global_pool(const onnx::NodeProto& n);

    void add(const onnx::NodeProto& n);

    void batchnorm(const onnx::NodeProto& n);

    void reshape(const onnx::NodeProto& n);

    void softmax(const onnx::NodeProto& n);

    void concat(const onnx::NodeProto& n);

    // Channels-last views (onnx_converter_channels_last.cpp): Transpose [0, 2, 3, 1] and back,
    // LayerNormalization over the channels, Gelu, a MatMul of a view by a constant as a 1x1 conv,
    // and Add / Mul of a per-channel constant (a conv's bias, or a batchnorm's shift or scale).
    bool channels_transpose(const onnx::NodeProto& n, const std::vector<int64_t>& perm);
    void layer_norm(const onnx::NodeProto& n);
    void gelu(const onnx::NodeProto& n);
    void pointwise(const onnx::NodeProto& n, const Value& a, const OnnxTensor& b);
    void constant_operand(const onnx::NodeProto& n);
    int64_t channels_of(const onnx::NodeProto& n, const Value& x, const OnnxTensor& c) const;
    // The value of output 0 of n, keeping `like`'s layout.
    void keep_layout(const onnx::NodeProto& n, const Value& like);

    // Shape arithmetic on constants (onnx_converter_fold.cpp): true when n was folded.
    bool fold_constant(const onnx::NodeProto& n);
    void fold_squeeze(const onnx::NodeProto& n, const OnnxTensor& a, OnnxTensor& out) const;
    // Axes from input `input` (or the axes attribute before opset 13), in [0, rank).
    std::vector<int64_t> folded_axes(const onnx::NodeProto& n, int input, size_t rank) const;
    // Slice of one axis, step 1: a slice layer (of no axis: the tensor itself).
    void slice(const onnx::NodeProto& n);
    // Split: one slice layer per output (the parts given, or equal parts).
    void split(const onnx::NodeProto& n);
    std::vector<int64_t> split_sizes(const onnx::NodeProto& n, int64_t size) const;
    // The channel shuffle: Reshape to N x g x C/g x H x W, Transpose [0, 2, 1, 3, 4], Reshape back.
    void begin_shuffle(const onnx::NodeProto& n, const Value& x, const std::vector<int64_t>& dims);
    void transpose(const onnx::NodeProto& n);
    void finish_shuffle(const onnx::NodeProto& n, const PendingShuffle& p, const std::vector<int64_t>& dims);

    // Integer scalars (zero points) in npusim's int8 storage: uint8 shifted by -128.
    int32_t zero_point(const onnx::NodeProto& n, int i, bool* is_unsigned = nullptr) const;
    // A scale: one positive, finite float32 (a missing optional scale is 1).
    float scalar(const onnx::NodeProto& n, const OnnxTensor* t) const;

    // The input's quantization must be what this node reads it with.
    void bind_input_quant(const onnx::NodeProto& n, const Value& x, float scale, int32_t zero_point);

    // QLinearConv, QLinearMatMul and ConvInteger: integer operands with zero points.
    void quantized(const onnx::NodeProto& n);
    // Its parts: the output scale, zero point and weight scales (QLinear*), and the layer with
    // its integer weights (shifted by `shift` from uint8) for a matmul or a conv; returns the dims.
    void quantized_output(const onnx::NodeProto& n, Layer& l);
    std::vector<int64_t> quantized_matmul(const onnx::NodeProto& n, const Value& x, const OnnxTensor& w, int32_t shift,
                                          Layer& l);
    std::vector<int64_t> quantized_conv(const onnx::NodeProto& n, const Value& x, const OnnxTensor& w, int32_t shift,
                                        bool integer_out, Layer& l);

    // ConvInteger's optional zero points default to 0 of the operand's type (-128 in npusim's
    // storage for uint8).
    int32_t zero_point_or_zero(const onnx::NodeProto& n, int i, bool operand_unsigned) const;

    std::set<std::string> m_unset_quant;  // integer inputs whose scale a reader has yet to give
    const onnx::ModelProto& m_model;
    std::string m_path;
    const OnnxImportOptions& m_options;
    std::vector<std::string_view> m_held_back;
    int64_t m_opset = 1;
    OnnxImport m_out;
    std::map<std::string, OnnxTensor> m_constants;
    std::map<std::string, Value> m_values;
    std::map<std::string, PendingPad> m_pads;          // by the Pad's output name
    std::map<std::string, PendingShuffle> m_shuffles;  // by the output name of its reshape or transpose
    std::map<std::string, int> m_reader_count;         // readers of each tensor (graph outputs count)
    std::map<int, std::string> m_biasless;             // a MatMul's layer without bias -> its output's name
};

}  // namespace npu::onnx_convert

#include "common/op_attributes.h"

namespace npu {

const char* activation_name(Activation a) {
    switch (a) {
        case Activation::None: return "";
        case Activation::Relu: return "relu";
        case Activation::Relu6: return "relu6";
    }
    return "?";
}

const char* unary_name(UnaryFn fn) {
    switch (fn) {
        case UnaryFn::Sigmoid: return "sigmoid";
        case UnaryFn::HardSigmoid: return "hard_sigmoid";
        case UnaryFn::Tanh: return "tanh";
        case UnaryFn::Gelu: return "gelu";
        case UnaryFn::Erf: return "erf";
        case UnaryFn::Sqrt: return "sqrt";
    }
    return "?";
}

}  // namespace npu

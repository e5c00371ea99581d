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

}  // namespace npu

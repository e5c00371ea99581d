#include "kernels/numerics/precision.h"

namespace npu {

bool parse_precision(const std::string& name, Precision& out) {
    if (name == "int8") {
        out = Precision::Int8;
        return true;
    }
    if (name == "fp16") {
        out = Precision::Fp16;
        return true;
    }
    return false;
}

}  // namespace npu

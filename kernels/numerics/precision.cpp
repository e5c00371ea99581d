#include "kernels/numerics/precision.h"

namespace npu {

const char* precision_name(Precision p) {
    switch (p) {
        case Precision::Int8: return "int8";
        case Precision::Fp16: return "fp16";
        case Precision::Fp32: return "fp32";
        case Precision::Bf16: return "bf16";
    }
    return "?";
}

bool parse_precision(const std::string& name, Precision& out) {
    if (name == "fp32") {
        out = Precision::Fp32;
        return true;
    }
    if (name == "int8") {
        out = Precision::Int8;
        return true;
    }
    if (name == "fp16") {
        out = Precision::Fp16;
        return true;
    }
    if (name == "bf16") {
        out = Precision::Bf16;
        return true;
    }
    return false;
}

}  // namespace npu

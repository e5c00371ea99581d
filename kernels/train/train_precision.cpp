#include "kernels/train/train_precision.h"

namespace npu {

const char* train_precision_name(TrainPrecision p) {
    switch (p) {
        case TrainPrecision::Fp32: return "fp32";
        case TrainPrecision::Fp16: return "fp16";
        case TrainPrecision::Bf16: return "bf16";
    }
    return "?";
}

bool parse_train_precision(const std::string& name, TrainPrecision& out) {
    if (name == "fp32")
        out = TrainPrecision::Fp32;
    else if (name == "fp16")
        out = TrainPrecision::Fp16;
    else if (name == "bf16")
        out = TrainPrecision::Bf16;
    else
        return false;
    return true;
}

}  // namespace npu

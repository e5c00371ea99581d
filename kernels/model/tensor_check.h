#pragma once
// One backend's tensor judged against the reference's by the rule of kernels/numerics/check_rule.h.
#include <cstdint>

#include "kernels/model/host_tensor.h"

namespace npu {

struct TensorCheck {
    int64_t mismatches = 0;  // INT8 (and int32 sums): elements that differ; float: outside the rule
    double max_abs_error = 0.0;
    double relative_error = 0.0;  // ||got - want|| / ||want||
};

TensorCheck check_tensor(const HostTensor& got, const HostTensor& want, Precision precision);

}  // namespace npu

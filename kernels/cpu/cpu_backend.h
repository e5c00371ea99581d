#pragma once
// The CPU reference as a backend: Eigen operators over whole tensors (reference_ops.h), the
// ground truth every other backend is checked against.
#include <vector>

#include "kernels/backend.h"

namespace npu {

class CpuReference : public Backend {
public:
    const char* name() const override { return "cpu-reference"; }
    HostTensor run_layer(const QuantModel& model, int index, const std::vector<HostTensor>& outputs) override;
};

// The reference output of every layer, index = layer index (the input layer's is the input).
std::vector<HostTensor> run_reference(const QuantModel& model);

// The reference output of one layer, given the outputs of the layers before it.
HostTensor reference_layer(const QuantModel& model, int layer_index, const std::vector<HostTensor>& outputs);

}  // namespace npu

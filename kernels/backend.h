#pragma once
// The contract every backend implements: the CPU reference (kernels/cpu), and the CUDA backends
// to come (kernels/cuda: naive, tiled, mma, vendor). A backend computes one layer of the prepared
// model (kernels/model/prepared_model.h) from the outputs of the layers before it; run_model is
// the one dispatch over the layers, and every backend's outputs are judged by the same rule
// (kernels/numerics/check_rule.h, kernels/model/tensor_check.h).
#include <vector>

#include "kernels/model/host_tensor.h"
#include "kernels/model/prepared_model.h"

namespace npu {

class Backend {
public:
    virtual ~Backend() = default;
    virtual const char* name() const = 0;
    // Layer `index`'s output. `outputs[i]` holds the output of every layer i < index that it
    // reads (Input layers: the model's input tensors).
    virtual HostTensor run_layer(const QuantModel& model, int index, const std::vector<HostTensor>& outputs) = 0;
};

// Every layer in graph order through `backend`; index = layer index.
std::vector<HostTensor> run_model(Backend& backend, const QuantModel& model);

}  // namespace npu

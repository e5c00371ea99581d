#pragma once
// Any backend's whole-network run, judged as the NPU's functional runs are
// (sim/runtime/output_check.h): every layer computed by the backend from its own outputs of the
// layers before it, and checked against the CPU reference computed on those same inputs, so
// each layer is judged on its own by the shared rule (INT8 exact) and float errors do not pile
// up against an independent chain.
#include <functional>
#include <vector>

#include "kernels/backend.h"
#include "kernels/model/tensor_check.h"

namespace npu {

struct LayerCheck {
    int index = 0;
    TensorCheck check;
};

struct BackendRun {
    std::vector<HostTensor> outputs;  // per layer, the backend's
    std::vector<LayerCheck> checks;   // per computed layer (not the inputs)
    bool passed() const;
};

// `progress(check)` after each checked layer (a CLI prints its line).
BackendRun run_and_check(Backend& backend, const QuantModel& model,
                         const std::function<void(const LayerCheck&)>& progress = {});

}  // namespace npu

#include "kernels/backend.h"

namespace npu {

std::vector<HostTensor> run_model(Backend& backend, const QuantModel& model) {
    std::vector<HostTensor> outputs(model.graph.layers.size());
    for (size_t i = 0; i < model.graph.layers.size(); ++i) outputs[i] = backend.run_layer(model, int(i), outputs);
    return outputs;
}

}  // namespace npu

#include "kernels/cpu/cpu_backend.h"

#include "kernels/cpu/ops/cpu_op.h"

namespace npu {

HostTensor CpuReference::run_layer(const QuantModel& qm, int i, const std::vector<HostTensor>& outputs) {
    return cpu_op(qm.graph.layers[size_t(i)].kind).run(CpuOpCall{qm, i, outputs});
}

HostTensor reference_layer(const QuantModel& model, int index, const std::vector<HostTensor>& outputs) {
    CpuReference cpu;
    return cpu.run_layer(model, index, outputs);
}

std::vector<HostTensor> run_reference(const QuantModel& model) {
    CpuReference cpu;
    return run_model(cpu, model);
}

}  // namespace npu

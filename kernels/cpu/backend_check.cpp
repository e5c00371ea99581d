#include "kernels/cpu/backend_check.h"

#include "kernels/cpu/cpu_backend.h"

namespace npu {

bool BackendRun::passed() const {
    for (const LayerCheck& c : checks)
        if (c.check.mismatches) return false;
    return true;
}

BackendRun run_and_check(Backend& backend, const QuantModel& model,
                         const std::function<void(const LayerCheck&)>& progress) {
    BackendRun run;
    run.outputs.resize(model.graph.layers.size());
    CpuReference reference;
    for (size_t i = 0; i < model.graph.layers.size(); ++i) {
        run.outputs[i] = backend.run_layer(model, int(i), run.outputs);
        if (model.graph.layers[i].kind == LayerKind::Input) continue;
        const HostTensor want = reference.run_layer(model, int(i), run.outputs);
        run.checks.push_back({int(i), check_tensor(run.outputs[i], want, model.precision)});
        if (progress) progress(run.checks.back());
    }
    return run;
}

}  // namespace npu

#include <cuda_runtime.h>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/gpu_optimizer.h"

namespace npu {
namespace {

constexpr int kThreads = 256;

unsigned blocks(int64_t n) { return unsigned((n + kThreads - 1) / kThreads); }

__global__ void finite_kernel(const float* g, int64_t n, int* all_finite) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < n && !(g[i] - g[i] == 0.0f)) *all_finite = 0;  // inf - inf and NaN - NaN are NaN
}

__global__ void sgd_kernel(float* w, const float* g, float* m, int64_t n, SgdStep s) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < n) sgd_element(w[i], g[i], m[i], s);
}

__global__ void adam_kernel(float* w, const float* g, float* m, float* v, int64_t n, AdamStep s) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < n) adam_element(w[i], g[i], m[i], v[i], s);
}

const std::vector<float>& part(const std::vector<LayerParams>& p, int layer, bool bias) {
    return bias ? p[size_t(layer)].bias : p[size_t(layer)].weight;
}

DeviceBuffer upload(const std::vector<float>& v) {
    DeviceBuffer b(v.size() * sizeof(float));
    b.upload(v.data(), v.size() * sizeof(float));
    return b;
}

}  // namespace

bool gpu_all_finite(const std::vector<LayerParams>& grads) {
    DeviceBuffer flag(sizeof(int));
    const int one = 1;
    flag.upload(&one, sizeof one);
    std::vector<DeviceBuffer> alive;  // until the kernels have run
    for (const LayerParams& p : grads)
        for (const std::vector<float>* v : {&p.weight, &p.bias}) {
            if (v->empty()) continue;
            alive.push_back(upload(*v));
            finite_kernel<<<blocks(int64_t(v->size())), kThreads>>>(alive.back().as<float>(), int64_t(v->size()),
                                                                    flag.as<int>());
        }
    cuda_check(cudaGetLastError(), "the overflow check");
    int result = 0;
    flag.download(&result, sizeof result);  // synchronizes
    return result == 1;
}

void GpuOptimizer::place(const std::vector<LayerParams>& master, bool adam) {
    for (size_t i = 0; i < master.size(); ++i)
        for (bool bias : {false, true}) {
            const std::vector<float>& values = part(master, int(i), bias);
            if (values.empty()) continue;
            const std::vector<float> zeros(values.size(), 0.0f);
            m_tensors.push_back({int(i), bias, int64_t(values.size()), upload(values), upload(zeros),
                                 adam ? upload(zeros) : DeviceBuffer(1), DeviceBuffer(values.size() * sizeof(float))});
        }
    m_placed = true;
}

void GpuOptimizer::apply(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                         const OptimizerConfig& config, double lr, int64_t update) {
    const bool adam = config.kind == OptimizerKind::Adam;
    if (!m_placed) place(master, adam);
    const Optimizer rule(config, {});
    for (Tensor& t : m_tensors) {
        const std::vector<float>& g = part(grads, t.layer, t.bias);
        t.gradient.upload(g.data(), g.size() * sizeof(float));
        float* w = t.master.as<float>();
        if (adam)
            adam_kernel<<<blocks(t.elements), kThreads>>>(w, t.gradient.as<float>(), t.first.as<float>(),
                                                          t.second.as<float>(), t.elements, rule.adam_step(lr, update));
        else
            sgd_kernel<<<blocks(t.elements), kThreads>>>(w, t.gradient.as<float>(), t.first.as<float>(), t.elements,
                                                         rule.sgd_step(lr));
        cuda_check(cudaGetLastError(), "the optimizer update");
        std::vector<float>& out = t.bias ? master[size_t(t.layer)].bias : master[size_t(t.layer)].weight;
        t.master.download(out.data(), out.size() * sizeof(float));
    }
}

}  // namespace npu

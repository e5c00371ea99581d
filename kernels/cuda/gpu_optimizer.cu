#include <cuda_runtime.h>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/gpu_launch.cuh"
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

}  // namespace

void GpuOptimizer::upload_gradients(const std::vector<LayerParams>& grads) {
    for (Tensor& t : m_tensors) {
        const std::vector<float>& g = part(grads, t.layer, t.bias);
        t.gradient.upload(g.data(), g.size() * sizeof(float));
    }
    m_gradients_uploaded = true;
}

bool GpuOptimizer::gradients_finite(const std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                                    const OptimizerConfig& config) {
    if (!m_placed) place(master, config.kind == OptimizerKind::Adam);
    upload_gradients(grads);
    DeviceBuffer flag(sizeof(int));
    const int one = 1;
    flag.upload(&one, sizeof one);
    for (const Tensor& t : m_tensors)
        finite_kernel<<<blocks(t.elements), kThreads>>>(t.gradient.as<float>(), t.elements, flag.as<int>());
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
            m_tensors.push_back({int(i), bias, int64_t(values.size()), to_device(values), to_device(zeros),
                                 adam ? to_device(zeros) : DeviceBuffer(1),
                                 DeviceBuffer(values.size() * sizeof(float))});
        }
    m_placed = true;
}

void GpuOptimizer::apply(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                         const OptimizerConfig& config, double lr, int64_t update) {
    const bool adam = config.kind == OptimizerKind::Adam;
    if (!m_placed) place(master, adam);
    if (!m_gradients_uploaded) upload_gradients(grads);
    m_gradients_uploaded = false;  // the next step uploads its own
    const Optimizer rule(config, {});
    for (Tensor& t : m_tensors) {
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

#include <cuda_runtime.h>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/gpu_launch.cuh"
#include "kernels/cuda/gpu_loss.h"
#include "kernels/train/loss_row.h"

namespace npu {
namespace {

constexpr int kThreads = 256;

unsigned blocks(int64_t n) { return unsigned((n + kThreads - 1) / kThreads); }

__global__ void loss_kernel(const float* logits, const int32_t* labels, int64_t batch, int64_t classes, float scale,
                            float* dlogits, double* losses, int* correct) {
    const int64_t n = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (n >= batch) return;
    const LossRow r =
        softmax_cross_entropy_row(logits + n * classes, classes, labels[n], batch, scale, dlogits + n * classes);
    losses[n] = r.loss;
    correct[n] = r.correct ? 1 : 0;
}

__global__ void activation_grad_kernel(const float* y, const float* dy, float* dz, int64_t count, Activation a) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < count) dz[i] = fused_activation_grad(y[i], dy[i], a);
}

}  // namespace

LossResult gpu_softmax_cross_entropy(const std::vector<float>& logits, const int32_t* labels, int64_t batch,
                                     int64_t classes, float scale) {
    const DeviceBuffer dz_in = to_device(logits);
    const DeviceBuffer dlabels = to_device(std::vector<int32_t>(labels, labels + batch));
    DeviceBuffer ddz(logits.size() * sizeof(float)), dloss(size_t(batch) * sizeof(double)),
        dcorrect(size_t(batch) * sizeof(int));
    loss_kernel<<<blocks(batch), kThreads>>>(dz_in.as<float>(), dlabels.as<int32_t>(), batch, classes, scale,
                                             ddz.as<float>(), dloss.as<double>(), dcorrect.as<int>());
    cuda_check(cudaGetLastError(), "the loss kernel");
    LossResult r;
    r.dlogits = download<float>(ddz, int64_t(logits.size()));
    for (double v : download<double>(dloss, batch)) r.loss += v;
    for (int c : download<int>(dcorrect, batch)) r.correct += c;
    r.loss /= double(batch);
    return r;
}

std::vector<float> gpu_activation_gradient(const std::vector<float>& y, const std::vector<float>& dy, Activation a) {
    const DeviceBuffer dy_out = to_device(y), ddy = to_device(dy);
    DeviceBuffer ddz(y.size() * sizeof(float));
    activation_grad_kernel<<<blocks(int64_t(y.size())), kThreads>>>(dy_out.as<float>(), ddy.as<float>(),
                                                                    ddz.as<float>(), int64_t(y.size()), a);
    cuda_check(cudaGetLastError(), "the activation-gradient kernel");
    return download<float>(ddz, int64_t(y.size()));
}

}  // namespace npu

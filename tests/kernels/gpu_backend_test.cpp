// The GPU as a backend: every non-convolution op against the CPU reference over the shared op
// table (INT8 exact, floats within the check rule), then whole networks (LeNet-5, ResNet-8 with
// residual adds, MobileNetV2 with depthwise convolutions, relu6 and a global pool) on every
// backend and precision, each layer judged on the GPU's own inputs (run_and_check), in INT8
// bit-exact to the last layer. Skipped without a GPU.
#include <catch2/catch.hpp>

#include "kernels/cpu/backend_check.h"
#include "kernels/cpu/cpu_backend.h"
#include "kernels/cpu/quantized_model.h"
#include "kernels/cuda/gpu_backend.h"
#include "kernels/cuda/gpu_ops.h"
#include "kernels/cuda/gpu_runtime.h"
#include "kernels/model/tensor_check.h"
#include "kernels/op_cases.h"
#include "test_paths.h"
#include "test_skip.h"
#include "workloads/ir/float_model.h"
#include "workloads/model_loader.h"

using namespace npu;

namespace {

struct GpuOps {
    HostTensor max_pool(const HostTensor& a, const Shape& o, const Window2d& w) { return gpu_max_pool(a, o, w); }
    HostTensor avg_pool(const HostTensor& a, const Shape& o, const Window2d& w, bool pad) {
        return gpu_avg_pool(a, o, w, pad);
    }
    HostTensor global_avg_pool(const HostTensor& a) { return gpu_global_avg_pool(a); }
    HostTensor add(const HostTensor& a, const HostTensor& b, AddRescale r, Int8Clamp c, Activation act) {
        return gpu_add(a, b, r, c, act);
    }
    HostTensor clamp(const HostTensor& a, Int8Clamp c, float lo, float hi) { return gpu_clamp(a, c, lo, hi); }
    HostTensor softmax(const HostTensor& a, const SoftmaxAttrs& s, float scale) { return gpu_softmax(a, s, scale); }
    HostTensor unary(const HostTensor& a, const UnaryAttrs& u, const std::vector<int8_t>& t) {
        return gpu_unary(a, u, t);
    }
    HostTensor multiply(const HostTensor& a, const HostTensor& b, QuantMultiplier m) { return gpu_multiply(a, b, m); }
    HostTensor slice(const HostTensor& a, const Shape& o, const SliceAttrs& s) { return gpu_slice(a, o, s); }
    HostTensor channel_shuffle(const HostTensor& a, int64_t g) { return gpu_channel_shuffle(a, g); }
    HostTensor layer_norm(const HostTensor& a, float eps, float in_scale, float out_scale, const std::vector<float>& g,
                          const std::vector<float>& b) {
        return gpu_layer_norm(a, eps, in_scale, out_scale, g, b);
    }
    HostTensor channel_affine(const HostTensor& a, const std::vector<float>& s, const std::vector<float>& t) {
        return gpu_channel_affine(a, s, t);
    }
    HostTensor concat(const std::vector<const HostTensor*>& in, const Shape& o, int axis,
                      const std::vector<QuantMultiplier>& r) {
        return gpu_concat(in, o, axis, r);
    }
};

}  // namespace

TEST_CASE("every GPU op equals the CPU reference in every precision", "[gpu][ops]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    for (Precision p : {Precision::Int8, Precision::Fp16, Precision::Bf16, Precision::Fp32})
        for (const test::OpCase& c : test::op_cases(p)) {
            INFO(c.name << " in " << precision_name(p) << " on " << gpu.name);
            test::ReferenceOps reference;
            GpuOps on_gpu;
            const HostTensor want = test::compute(c, reference), got = test::compute(c, on_gpu);
            REQUIRE(got.shape == want.shape);
            const TensorCheck check = check_tensor(got, want, p);
            CHECK(check.mismatches == 0);
        }
}

TEST_CASE("whole networks on every GPU backend equal the CPU reference, layer by layer", "[gpu][network]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    for (const char* model : {"lenet5", "resnet8", "mobilenetv2"}) {
        const FloatModel f = prepare_for_inference(make_float_model(load_model_file(test::model_file(model)), 3));
        for (Precision p : {Precision::Int8, Precision::Fp16, Precision::Bf16, Precision::Fp32}) {
            const QuantModel m = quantize_model(f, p);
            const std::vector<HostTensor> want = run_reference(m);
            for (ConvKernel kernel : kAllConvKernels) {
                INFO(model << " in " << precision_name(p) << " on the " << conv_kernel_name(kernel) << " backend");
                GpuBackend backend(kernel);
                if (!conv_kernel_supports(kernel, p)) {
                    CHECK_THROWS_AS(run_model(backend, m), GpuError);
                    continue;
                }
                // Each layer on the GPU's own inputs, judged against the reference on the same
                // inputs (as the NPU's runs are); in INT8 the GPU's chain is the reference's, bit for bit.
                const BackendRun run = run_and_check(backend, m);
                for (const LayerCheck& c : run.checks) {
                    INFO("layer " << m.graph.where(c.index) << ": max abs error " << c.check.max_abs_error);
                    CHECK(c.check.mismatches == 0);
                }
                if (p == Precision::Int8)
                    for (size_t i = 0; i < want.size(); ++i) CHECK(run.outputs[i].bytes == want[i].bytes);
            }
        }
    }
}

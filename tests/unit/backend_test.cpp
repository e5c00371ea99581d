// The backend contract: one dispatch over the layers, and the one check rule every backend is
// judged by.
#include <catch2/catch.hpp>

#include <vector>

#include "kernels/backend.h"
#include "kernels/cpu/backend_check.h"
#include "kernels/cpu/cpu_backend.h"
#include "kernels/cpu/quantized_model.h"
#include "kernels/model/tensor_check.h"
#include "kernels/numerics/check_rule.h"
#include "kernels/numerics/fp16.h"
#include "test_paths.h"
#include "workloads/ir/float_model.h"
#include "workloads/model_loader.h"

using namespace npu;

namespace {

// A backend that records what it was asked and delegates to the CPU reference.
class RecordingBackend : public Backend {
public:
    const char* name() const override { return "recording"; }
    HostTensor run_layer(const QuantModel& model, int index, const std::vector<HostTensor>& outputs) override {
        calls.push_back(index);
        for (int producer : model.graph.layers[size_t(index)].inputs)
            inputs_ready = inputs_ready && !outputs[size_t(producer)].bytes.empty();
        return m_cpu.run_layer(model, index, outputs);
    }
    std::vector<int> calls;
    bool inputs_ready = true;

private:
    CpuReference m_cpu;
};

}  // namespace

TEST_CASE("run_model sends every layer once, in graph order, with its inputs computed", "[backend]") {
    const Graph g = load_model_file(test::model_file("lenet5"));
    const QuantModel m = quantize_model(prepare_for_inference(make_float_model(g, 3)), Precision::Int8);
    RecordingBackend recording;
    const std::vector<HostTensor> got = run_model(recording, m);
    REQUIRE(recording.calls.size() == m.graph.layers.size());
    for (size_t i = 0; i < recording.calls.size(); ++i) CHECK(recording.calls[i] == int(i));
    CHECK(recording.inputs_ready);
    const std::vector<HostTensor> want = run_reference(m);
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < got.size(); ++i) CHECK(got[i].bytes == want[i].bytes);
    CHECK(std::string(CpuReference().name()) == "cpu-reference");
}

namespace {

// A backend that gets one layer wrong: the CPU reference, with one element of layer `broken` off.
class BrokenBackend : public Backend {
public:
    explicit BrokenBackend(int broken) : m_broken(broken) {}
    const char* name() const override { return "broken"; }
    HostTensor run_layer(const QuantModel& model, int index, const std::vector<HostTensor>& outputs) override {
        HostTensor t = m_cpu.run_layer(model, index, outputs);
        if (index == m_broken) t.int8()[0] = int8_t(t.int8()[0] == 5 ? 6 : 5);
        return t;
    }

private:
    int m_broken;
    CpuReference m_cpu;
};

}  // namespace

TEST_CASE("run_and_check judges each layer of a backend's run on the backend's own inputs", "[backend]") {
    const Graph g = load_model_file(test::model_file("lenet5"));
    const QuantModel m = quantize_model(prepare_for_inference(make_float_model(g, 3)), Precision::Int8);
    CpuReference cpu;
    int lines = 0;
    const BackendRun good = run_and_check(cpu, m, [&](const LayerCheck&) { ++lines; });
    CHECK(good.passed());
    CHECK(lines == int(good.checks.size()));
    CHECK(good.checks.size() == m.graph.layers.size() - m.graph.input_indices().size());
    BrokenBackend broken(2);
    const BackendRun bad = run_and_check(broken, m);
    CHECK_FALSE(bad.passed());
    for (const LayerCheck& c : bad.checks) CHECK(c.check.mismatches == (c.index == 2 ? 1 : 0));  // judged alone
}

TEST_CASE("the check rule: INT8 exact, FP16 within 2 ulp at the layer's scale", "[backend][numerics]") {
    HostTensor a = HostTensor::zeros(Shape{1, 4, 1, 1}, Precision::Int8), b = a;
    reinterpret_cast<int8_t*>(b.bytes.data())[2] = 1;
    reinterpret_cast<int8_t*>(b.bytes.data())[3] = -3;
    const TensorCheck c = check_tensor(a, b, Precision::Int8);
    CHECK(c.mismatches == 2);
    CHECK(c.max_abs_error == 3.0);
    CHECK(check_tensor(a, a, Precision::Int8).mismatches == 0);
    // binary16 spacing at 1.0 is 2^-10: 2 ulp agree, 3 do not.
    CHECK(float_close(1.0f, 1.0f + 2.0f / 1024, Precision::Fp16));
    CHECK_FALSE(float_close(1.0f, 1.0f + 3.0f / 1024, Precision::Fp16));
    // Measured at the floor magnitude (the layer's RMS): a cancelled sum near 0 may differ more.
    CHECK_FALSE(float_close(0.0f, 0.01f, Precision::Fp16));
    CHECK(float_close(0.0f, 0.01f, Precision::Fp16, 8.0f));
    CHECK_FALSE(float_close(std::nanf(""), std::nanf(""), Precision::Fp16));
    CHECK(float_close(1000.0f, 1000.0f * (1 + 0.9e-5f), Precision::Fp32));
    CHECK_FALSE(float_close(1000.0f, 1000.0f * (1 + 1.1e-5f), Precision::Fp32));
    CHECK(check_rule(Precision::Int8).find("bit-exact") != std::string::npos);
}

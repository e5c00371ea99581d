// Layer norm over each pixel's channels and GELU, worked by hand: the shared row arithmetic in
// FP32 and INT8, the CPU reference's row layout (channels `pixels` apart), the GPU's emulated
// row, and the model-file errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/error.h"
#include "kernels/cpu/reference_ops.h"
#include "kernels/cuda/vector_ops.h"
#include "kernels/numerics/layer_norm.h"
#include "workloads/model_loader.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

HostTensor real_tensor(Shape s, const std::vector<float>& v) {
    HostTensor t = HostTensor::zeros(s, Precision::Fp32);
    for (size_t i = 0; i < v.size(); ++i) t.set_real(int64_t(i), v[i]);
    return t;
}

}  // namespace

TEST_CASE("layer norm of one row: mean 0, variance 1, then gamma and beta", "[unit][layer_norm]") {
    // x = 1 2 3 4: mean 2.5, biased variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25; with
    // epsilon 0.75 the root is sqrt(2), so y = (x - 2.5) / sqrt(2) = -1.5 -0.5 0.5 1.5 over sqrt(2).
    const std::vector<float> x{1, 2, 3, 4};
    std::vector<float> y(4);
    layer_norm_row(
        4, 0.75f, [&](int64_t k) { return x[size_t(k)]; }, [&](int64_t k, float v) { y[size_t(k)] = v; });
    const double r = std::sqrt(2.0);
    CHECK(y[0] == Approx(-1.5 / r).epsilon(1e-7));
    CHECK(y[1] == Approx(-0.5 / r).epsilon(1e-7));
    CHECK(y[2] == Approx(0.5 / r).epsilon(1e-7));
    CHECK(y[3] == Approx(1.5 / r).epsilon(1e-7));
    CHECK(layer_norm_affine(y[1], 2.0f, 1.0f) == Approx(1.0 - 1.0 / r).epsilon(1e-7));
    // A constant row has variance 0: every output is 0 (then beta), epsilon keeps it finite.
    layer_norm_row(
        4, 1e-6f, [](int64_t) { return 7.0f; }, [&](int64_t k, float v) { y[size_t(k)] = v; });
    CHECK(y == std::vector<float>{0, 0, 0, 0});
}

TEST_CASE("layer norm in INT8: values at the input scale, results quantized at the output scale",
          "[unit][layer_norm]") {
    // q = 20 40 60 80 at 0.05 are x = 1 2 3 4 (to a float's rounding); y as above at epsilon
    // 0.75, at output scale 1.5 / 127: -89.80 -29.93 29.93 89.80 -> -90 -30 30 90; gamma 1 and
    // beta 0 on channels 0-2, gamma 0.5 and beta 0.5 on channel 3: 1.5 / sqrt(8) + 0.5 = 1.0303
    // -> 87.23 -> 87.
    HostTensor in = HostTensor::zeros({1, 4, 1, 1}, Precision::Int8);
    for (int k = 0; k < 4; ++k) in.int8()[k] = int8_t(20 * (k + 1));
    const HostTensor out = layer_norm(in, 0.75f, 0.05f, 1.5f / 127.0f, {1, 1, 1, 0.5f}, {0, 0, 0, 0.5f});
    CHECK(std::vector<int8_t>(out.int8(), out.int8() + 4) == std::vector<int8_t>{-90, -30, 30, 87});
    // The GPU's row function, run here, gives the same bytes.
    HostTensor gpu = HostTensor::zeros(in.shape, Precision::Int8);
    const std::vector<float> gamma{1, 1, 1, 0.5f}, beta{0, 0, 0, 0.5f};
    layer_norm_pixel(Precision::Int8, in.bytes.data(), gpu.bytes.data(), 0, 4, 1,
                     LayerNormRow{0.75f, 0.05f, 1.5f / 127.0f, gamma.data(), beta.data()});
    CHECK(gpu.bytes == out.bytes);
}

TEST_CASE("the reference normalizes each pixel's channels, which lie a plane apart", "[unit][layer_norm]") {
    // 1 image, 4 channels, 1 x 2 pixels: pixel 0 holds 1 2 3 4 across the channels, pixel 1 holds
    // 5 5 5 5 (variance 0: outputs beta).
    const HostTensor in = real_tensor({1, 4, 1, 2}, {1, 5, 2, 5, 3, 5, 4, 5});
    const HostTensor out = layer_norm(in, 0.75f, 1.0f, 1.0f, {1, 1, 1, 1}, {0, 0.25f, 0, -1});
    const double r = std::sqrt(2.0);
    const std::vector<double> want{-1.5 / r, 0, -0.5 / r + 0.25, 0.25, 0.5 / r, 0, 1.5 / r - 1, -1};
    for (size_t i = 0; i < want.size(); ++i) CHECK(out.value(int64_t(i)) == Approx(want[i]).margin(1e-6));
}

TEST_CASE("erf and sqrt as unary functions", "[unit][gelu]") {
    CHECK(unary_value({UnaryFn::Erf, 0.0f, 0.0f}, 0.5f) == Approx(0.5204998778130465).epsilon(1e-7));
    CHECK(unary_value({UnaryFn::Erf, 0.0f, 0.0f}, -2.0f) == Approx(-0.9953222650189527).epsilon(1e-7));
    CHECK(unary_value({UnaryFn::Sqrt, 0.0f, 0.0f}, 2.25f) == 1.5f);
    CHECK(std::isnan(unary_value({UnaryFn::Sqrt, 0.0f, 0.0f}, -1.0f)));
    // INT8: the table holds quantize_int8 of each value; NaN (the square root of a negative input)
    // is stored as 0.
    const std::vector<int8_t> table = unary_table({UnaryFn::Sqrt, 0.0f, 0.0f}, 0.25f, 1.0f / 32.0f);
    CHECK(table[size_t(16 + 128)] == 64);  // sqrt(16 * 0.25) = 2 -> 64 at 1/32
    CHECK(table[size_t(-4 + 128)] == 0);
}

TEST_CASE("GELU is x (1 + erf(x / sqrt 2)) / 2", "[unit][gelu]") {
    const UnaryAttrs gelu{UnaryFn::Gelu, 0.0f, 0.0f};
    CHECK(unary_value(gelu, 0.0f) == 0.0f);
    CHECK(unary_value(gelu, 1.0f) == Approx(0.8413447460685429).epsilon(1e-7));
    CHECK(unary_value(gelu, -1.0f) == Approx(-0.15865525393145707).epsilon(1e-7));
    CHECK(unary_value(gelu, -3.0f) == Approx(-0.0040496973).epsilon(1e-6));
    CHECK(unary_value(gelu, 10.0f) == 10.0f);
    // The reference computes it in binary32 with std::erf: within an ulp or two of the above.
    const HostTensor out = unary(real_tensor({1, 3, 1, 1}, {1.0f, -1.0f, 2.5f}), gelu, {});
    CHECK(out.value(0) == Approx(0.8413447460685429).epsilon(3e-7));
    CHECK(out.value(1) == Approx(-0.15865525393145707).epsilon(3e-7));
    CHECK(out.value(2) == Approx(2.4844758).epsilon(3e-7));
}

TEST_CASE("model files: layer_norm's epsilon and gelu are checked", "[unit][layer_norm]") {
    const std::string head = "name: m\ninput: {channels: 4, height: 2, width: 2}\nlayers:\n";
    const Graph g = parse_model_yaml(head +
                                         "  - {name: n, type: layer_norm, epsilon: 1.0e-6}\n"
                                         "  - {name: g, type: unary, function: gelu}\n",
                                     "m.yaml");
    CHECK(g.layers[1].kind == LayerKind::LayerNorm);
    CHECK(g.layers[1].norm_epsilon == 1e-6f);
    CHECK(g.layers[2].unary.fn == UnaryFn::Gelu);
    CHECK_THROWS_WITH(parse_model_yaml(head + "  - {name: n, type: layer_norm, epsilon: 0}\n", "m.yaml"),
                      Contains("m.yaml") && Contains("layer_norm epsilon must be in (0, 1), got 0"));
    CHECK_THROWS_WITH(parse_model_yaml(head + "  - {name: u, type: unary, function: mish}\n", "m.yaml"),
                      Contains("unknown function 'mish' (sigmoid, hard_sigmoid, tanh, gelu, erf, sqrt)"));
}

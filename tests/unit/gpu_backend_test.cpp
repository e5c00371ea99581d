// The CPU side of the GPU backends (kernels/cuda/conv_backend.h, vendor_plan.h), checked where
// no GPU runs: the backend names and precisions, and the vendor backend's INT8 layout (im2col,
// padded weights, a TN GEMM, the requantization's scatter back to NCHW) emulated on the CPU,
// bit-exact with the CPU reference over the shared shape table.
#include <catch2/catch.hpp>

#include "kernels/conv_cases.h"
#include "kernels/cuda/conv_backend.h"
#include "kernels/cuda/gemm_views.h"
#include "kernels/cuda/vendor_plan.h"

using namespace npu;

TEST_CASE("the GPU backends have names that parse back, and mma alone lacks FP32", "[gpu-host]") {
    for (ConvKernel k : kAllConvKernels) {
        ConvKernel parsed = ConvKernel::Naive;
        REQUIRE(parse_conv_kernel(conv_kernel_name(k), parsed));
        CHECK(parsed == k);
        for (Precision p : {Precision::Int8, Precision::Fp16, Precision::Bf16}) CHECK(conv_kernel_supports(k, p));
        CHECK(conv_kernel_supports(k, Precision::Fp32) == (k != ConvKernel::Mma));
    }
    ConvKernel unused = ConvKernel::Naive;
    CHECK_FALSE(parse_conv_kernel("cudnn", unused));
    CHECK_FALSE(parse_conv_kernel("", unused));
}

TEST_CASE("the vendor INT8 plan pads K to 16 and N to 4 with zeros", "[gpu-host]") {
    // 3x3 over 5 channels into 6 filters, 2 groups: K = 2*9 = 18, N = 3.
    const DirectConvShape s{1, 4, 6, 6, 6, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2};
    const Int8GemmPlan p = int8_gemm_plan(s);
    CHECK(p.groups == 2);
    CHECK(p.m == 36);
    CHECK(p.k == 18);
    CHECK(p.k_padded == 32);
    CHECK(p.n == 3);
    CHECK(p.n_padded == 4);
    CHECK(p.a_elements() == 2 * 36 * 32);
    CHECK(p.b_elements() == 2 * 4 * 32);
    CHECK(p.c_elements() == 2 * 36 * 4);
    const std::vector<int8_t> w = test::int8_values(s.weights(), 9);
    const std::vector<int8_t> b = gemm_weights(s, p, w);
    for (int64_t g = 0; g < p.groups; ++g)
        for (int64_t j = 0; j < p.n_padded; ++j)
            for (int64_t k = 0; k < p.k_padded; ++k) {
                const int8_t v = b[size_t((g * p.n_padded + j) * p.k_padded + k)];
                if (j >= p.n || k >= p.k)
                    REQUIRE(v == 0);  // the padding
                else
                    REQUIRE(v == w[size_t(implicit_b_index(s, g, k, j))]);
            }
}

TEST_CASE("the vendor INT8 layout, emulated on the CPU, is bit-exact with the CPU reference", "[gpu-host][int8]") {
    for (const test::ConvCase& c : test::conv_cases()) {
        INFO(c.name);
        const DirectConvShape& s = c.shape;
        const Int8Clamp clamp{-128, 127};
        const test::Int8Case k = test::int8_case(s, clamp);
        const Int8GemmPlan p = int8_gemm_plan(s);
        std::vector<int8_t> a(size_t(p.a_elements()));
        for (int64_t e = 0; e < p.a_elements(); ++e) {  // the im2col kernel
            const int64_t source = im2col_source(s, p, e);
            a[size_t(e)] = source >= 0 ? k.x[size_t(source)] : int8_t(0);
        }
        const std::vector<int8_t> b = gemm_weights(s, p, k.w);
        std::vector<int8_t> y(size_t(s.outputs()), 0);
        std::vector<int> writes(size_t(s.outputs()), 0);
        for (int64_t e = 0; e < p.c_elements(); ++e) {  // cuBLASLt's sums, then the requantization
            const int64_t j = e % p.n_padded, m = (e / p.n_padded) % p.m, g = e / (p.n_padded * p.m);
            int32_t sum = 0;
            for (int64_t kk = 0; kk < p.k_padded; ++kk)
                sum += int32_t(a[size_t((g * p.m + m) * p.k_padded + kk)]) *
                       int32_t(b[size_t((g * p.n_padded + j) * p.k_padded + kk)]);
            const int64_t out = gemm_output_index(s, p, e);
            if (out < 0) {
                REQUIRE(sum == 0);  // a padding column
                continue;
            }
            const int64_t f = gemm_output_channel(p, e);
            REQUIRE(f == output_coords(s, out).f);
            y[size_t(out)] = requantize_output(sum, k.bias[size_t(f)], k.requant[size_t(f)], clamp);
            ++writes[size_t(out)];
        }
        for (int64_t i = 0; i < s.outputs(); ++i) {
            INFO("output " << i);
            REQUIRE(writes[size_t(i)] == 1);
            REQUIRE(y[size_t(i)] == k.reference.int8()[i]);
        }
    }
}

TEST_CASE("cuDNN's symmetric padding is known to fit a shape or not", "[gpu-host]") {
    for (const test::ConvCase& c : test::conv_cases()) {
        INFO(c.name);
        CHECK(symmetric_padding_fits(c.shape));
    }
    // 4x4 input, 3x3 kernel, stride 2, padding top/left 0 and bottom/right 1 ("same upper"): a
    // 2x2 output that symmetric padding 0 would make 1x1.
    const DirectConvShape same_upper{1, 1, 4, 4, 1, 2, 2, 3, 3, 2, 2, 0, 0, 1, 1, 1};
    CHECK_FALSE(symmetric_padding_fits(same_upper));
}

TEST_CASE("a GemmView reads op(A) op(B) in every transpose combination", "[gpu-host]") {
    const int64_t m = 3, k = 4, n = 5;
    const std::vector<float> a = test::uniform_values(m * k, 1), b = test::uniform_values(k * n, 2);
    for (bool ta : {false, true})
        for (bool tb : {false, true}) {
            INFO("a transposed " << ta << ", b transposed " << tb);
            // The operands as stored: transposed copies where asked.
            std::vector<float> sa(a.size()), sb(b.size());
            for (int64_t r = 0; r < m; ++r)
                for (int64_t c = 0; c < k; ++c) sa[size_t(ta ? c * m + r : r * k + c)] = a[size_t(r * k + c)];
            for (int64_t r = 0; r < k; ++r)
                for (int64_t c = 0; c < n; ++c) sb[size_t(tb ? c * k + r : r * n + c)] = b[size_t(r * n + c)];
            const GemmView v{m, k, n, ta, tb};
            CHECK(v.a_along_m() == ta);
            CHECK(v.b_along_k() == tb);
            for (int64_t i = 0; i < m; ++i)
                for (int64_t j = 0; j < n; ++j) {
                    float via_view = 0, direct = 0;
                    for (int64_t q = 0; q < k; ++q) {
                        via_view += sa[size_t(v.a_index(0, i, q))] * sb[size_t(v.b_index(0, q, j))];
                        direct += a[size_t(i * k + q)] * b[size_t(q * n + j)];
                    }
                    REQUIRE(via_view == direct);
                    CHECK(v.c_index(0, i, j) == i * n + j);
                }
        }
}

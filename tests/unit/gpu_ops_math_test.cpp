// The GPU backend's op arithmetic (kernels/cuda/vector_ops.h), run here on the CPU one output
// element (or softmax row) at a time as the kernels run it per thread, against the CPU
// reference over the shared op table in every precision: the same bytes, except softmax, whose
// exp is computed in binary64 (then within the check rule: INT8 exact).
#include <catch2/catch.hpp>

#include "kernels/cuda/vector_ops.h"
#include "kernels/model/tensor_check.h"
#include "kernels/op_cases.h"
#include "kernels/op_emulation.h"

using namespace npu;

TEST_CASE("the GPU op arithmetic, run on the CPU, gives the CPU reference's results", "[gpu-host][ops]") {
    for (Precision p : {Precision::Int8, Precision::Fp16, Precision::Bf16, Precision::Fp32})
        for (const test::OpCase& c : test::op_cases(p)) {
            INFO(c.name << " in " << precision_name(p));
            test::ReferenceOps reference;
            test::EmulatedOps emulated;
            const HostTensor want = test::compute(c, reference), got = test::compute(c, emulated);
            REQUIRE(got.shape == want.shape);
            // The transcendental ops' floats (binary64 here, the C library's binary32 there) may
            // differ in the last bit, which the check rule allows; INT8 and the rest match exactly.
            const bool transcendental = c.kind == test::OpKind::Softmax || c.kind == test::OpKind::Unary;
            if (transcendental && p != Precision::Int8)
                CHECK(check_tensor(got, want, p).mismatches == 0);
            else if (c.kind == test::OpKind::Softmax)
                CHECK(check_tensor(got, want, p).mismatches == 0);
            else
                CHECK(got.bytes == want.bytes);
        }
}

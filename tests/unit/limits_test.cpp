// Limits on hostile sizes: arithmetic that cannot wrap, and loaders that refuse absurd designs
// and models before allocating anything, naming the limit and how to raise it.
#include <catch2/catch.hpp>

#include <limits>

#include "common/error.h"
#include "common/limits.h"
#include "sim/compiler/compiler.h"
#include "sim/config/arch_loader.h"
#include "sim/runtime/prepared_workload.h"
#include "test_designs.h"
#include "test_paths.h"
#include "workloads/model_loader.h"
#include "workloads/zoo.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

// A Limits object with one value changed (each loader takes the limits it enforces).
Limits with(const std::string& name, int64_t value) {
    Limits l;
    l.set(name + "=" + std::to_string(value));
    return l;
}

Graph model(const std::string& layers, const std::string& input = "{channels: 3, height: 8, width: 8}",
            const Limits& limits = Limits{}) {
    return parse_model_yaml("name: m\ninput: " + input + "\nlayers:\n" + layers, "m.yaml", limits);
}

}  // namespace

TEST_CASE("saturating arithmetic never wraps", "[limits]") {
    const int64_t max = std::numeric_limits<int64_t>::max();
    CHECK(saturating_mul(1 << 20, 1 << 20) == int64_t(1) << 40);
    CHECK(saturating_mul(int64_t(1) << 32, int64_t(1) << 31) == max);
    CHECK(saturating_mul(int64_t(1) << 31, int64_t(1) << 31) == int64_t(1) << 62);
    CHECK(saturating_mul(-1, 5) == max);
    CHECK(saturating_mul(0, max) == 0);
    CHECK(saturating_product({1000000, 1000000, 1000000, 1000000}) == max);
    CHECK(saturating_product({2, 3, 7}) == 42);
    CHECK(count_text(max) == "over 2^63");
    CHECK(count_text(12) == "12");
}

TEST_CASE("limit values given on the command line are parsed strictly", "[limits][errors]") {
    Limits l;
    CHECK_THROWS_WITH(l.set("tensors=5"), Contains("NAME one of tensor_elements, model_elements"));
    CHECK_THROWS_WITH(l.set("tensor_elements"), Contains("expected NAME=VALUE"));
    CHECK_THROWS_WITH(l.set("tensor_elements=0"), Contains("expected a positive integer, got '0'"));
    CHECK_THROWS_WITH(l.set("tensor_elements=12k"), Contains("got '12k'"));
    CHECK_THROWS_WITH(l.set("tensor_elements=99999999999999999999"), Contains("expected a positive integer"));
    CHECK(l.tensor_elements == Limits().tensor_elements);  // a refused value changes nothing
    l.set("instructions=123");
    CHECK(l.instructions == 123);
    CHECK(l.hint("instructions") == "(limit instructions = 123; raise with --limit instructions=N)");
    CHECK(Limits().instructions == 4000000);  // another object keeps the default
    CHECK(Limits::describe().size() == 5);
    CHECK(Limits::none().tensor_elements == int64_t(1) << 62);
}

TEST_CASE("models with absurd tensors are refused at shape inference", "[limits][errors]") {
    // 10^9 elements in one activation.
    CHECK_THROWS_WITH(model("  - {name: r, type: relu}\n", "{channels: 1000, height: 1000, width: 1000}"),
                      Contains("layer 'input'") && Contains("1000000000 elements") &&
                          Contains("raise with --limit tensor_elements=N"));
    // Weights: 4 x 3 x 2^15 x 2^15.
    CHECK_THROWS_WITH(model("  - {name: c, type: conv2d, filters: 4, kernel: 32768, padding: 16384}\n"),
                      Contains("layer 'c'") && Contains("12884901888 weights"));
    // Dimensions whose product overflows 64 bits.
    CHECK_THROWS_WITH(model("  - {name: f, type: fc, out_features: 2000000000}\n",
                            "{channels: 2000000000, height: 2000000000, width: 2000000000}"),
                      Contains("over 2^63 elements"));
    // Integers in files stay below 2^31.
    CHECK_THROWS_WITH(model("  - {name: c, type: conv2d, filters: 4294967296, kernel: 1}\n"),
                      Contains("layers[0].filters: 4294967296 is out of range"));
    // Many tensors that fit one by one but not together.
    // 432 elements each: the input and a fit in 1000, b does not.
    CHECK_THROWS_WITH(model("  - {name: a, type: relu}\n  - {name: b, type: relu}\n  - {name: c, type: relu}\n",
                            "{channels: 3, height: 12, width: 12}", with("model_elements", 1000)),
                      Contains("layer 'b'") && Contains("limit model_elements = 1000"));
    // Raised, the same model loads.
    Limits raised = with("tensor_elements", 2000000000);
    raised.set("model_elements=4000000000");
    CHECK(model("  - {name: r, type: relu}\n", "{channels: 1000, height: 1000, width: 1000}", raised).layers.size() ==
          2);
}

TEST_CASE("designs with absurd arrays or SRAM are refused at load", "[limits][errors]") {
    auto design = [&](const std::string& rows, const std::string& size_kib, const Limits& limits = Limits{}) {
        const std::string t = test::replace_once(test::replace_once(test::kDesignYaml, "rows: 8", "rows: " + rows),
                                                 "size_kib: 64", "size_kib: " + size_kib);
        return parse_design(t, "t.yaml", test::energy_dir(), limits);
    };
    CHECK_NOTHROW(design("8", "64"));
    CHECK_THROWS_WITH(design("1000000000", "64"),
                      Contains("t.yaml:2: array.cols: a 1000000000 x 8 array") && Contains("limit array_pes"));
    CHECK_THROWS_WITH(design("8", "2000000000"), Contains("buffers.unified.size_kib") && Contains("limit sram_mib"));
    // 1024 KiB fits the limit alone; with the 16 KiB accumulator the design does not.
    CHECK_THROWS_WITH(design("8", "1024", with("sram_mib", 1)),
                      Contains("the buffers hold 1 MiB together, beyond the limit"));
}

TEST_CASE("a program past the instruction limit is refused at the layer that passes it", "[limits][errors]") {
    const NpuConfig c = load_design(test::arch_file("tiny_4x4"), test::energy_dir());
    const Graph g = load_model_file(test::model_file("resnet18"));
    const PreparedWorkload w = prepare_workload(g, Precision::Int8, false, 1);
    const Limits small = with("instructions", 1000);
    CHECK_NOTHROW(compile(w.model.graph, w.model.layers, c, Precision::Int8));
    CHECK_THROWS_AS(compile(w.model.graph, w.model.layers, c, Precision::Int8, small), CompileError);
    CHECK_THROWS_WITH(
        compile(w.model.graph, w.model.layers, c, Precision::Int8, small),
        Contains("model 'resnet18'") && Contains("layer '") && Contains("the program grows past 1000 instructions"));
}

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "common/error.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/compiler.h"
#include "sim/compiler/hazard_tracker.h"
#include "sim/config/arch_loader.h"
#include "test_paths.h"
#include "workloads/ir/float_model.h"
#include "workloads/model_loader.h"

using namespace npu;

namespace {

NpuConfig design(const std::string& name) { return load_design(test::arch_file(name), test::energy_dir()); }

Graph inference(const std::string& model, int64_t batch = 1, int64_t size = 0) {
    Graph g = load_model_file(test::model_file(model));
    reshape_input(g, batch, size, size);
    return inference_graph(g).graph;
}

// Inside its buffer, and for the buffer that holds resident tensors below the ones live while
// the layer runs (tiles and resident tensors never overlap).
void require_inside(const NpuConfig& c, const ResidencyPlan& residency, int32_t layer, const isa::Region& r) {
    REQUIRE(r.offset >= 0);
    REQUIRE(r.size >= 0);
    int64_t limit = buffer_capacity(c, r.buffer);
    if (r.buffer == residency.buffer) limit -= residency.reserved_bytes[size_t(layer)];
    REQUIRE(r.offset + r.size <= limit);
}

// A transfer's DRAM box lies inside the program's DRAM, or (a resident tensor) inside the
// resident tensors live while its layer runs.
void require_box_inside(const CompiledModel& cm, int32_t layer, const isa::DramBox& box) {
    for (int d = 0; d < 4; ++d) {
        REQUIRE(box.start[size_t(d)] >= 0);
        REQUIRE(box.extent[size_t(d)] >= 1);
        REQUIRE(box.start[size_t(d)] + box.extent[size_t(d)] <= box.dims[size_t(d)]);
    }
    const uint64_t bytes = uint64_t(box.dims[0] * box.dims[1] * box.dims[2] * box.dims[3] * box.element_bytes);
    if (!isa::is_onchip(box.base)) {
        REQUIRE(box.base + bytes <= cm.program.dram_bytes);
        return;
    }
    const ResidencyPlan& r = cm.residency;
    REQUIRE(isa::onchip_buffer(box.base) == r.buffer);
    REQUIRE(isa::onchip_offset(box.base) >= r.capacity_bytes - r.reserved_bytes[size_t(layer)]);
    REQUIRE(isa::onchip_offset(box.base) + int64_t(bytes) <= r.capacity_bytes);
}

// Every instruction's regions lie inside their buffers, sizes agree with what they hold, and
// dependencies point backwards.
void check_program(const NpuConfig& c, const CompiledModel& cm, Precision precision) {
    const isa::Program& p = cm.program;
    const int64_t e = int64_t(element_bytes(precision));
    for (size_t i = 0; i < p.instructions.size(); ++i) {
        const isa::Instruction& in = p.instructions[i];
        auto inside = [&](const isa::Region& r) { require_inside(c, cm.residency, in.layer, r); };
        for (int32_t d : in.deps) REQUIRE(d < int32_t(i));
        if (in.queue == isa::Queue::Load || in.queue == isa::Queue::Store) {
            const isa::Transfer& t = in.transfer();
            inside(t.sram);
            REQUIRE(t.sram.size == t.dram.bytes());
            require_box_inside(cm, in.layer, t.dram);
        } else if (in.queue == isa::Queue::Array) {
            const isa::Gemm& g = in.gemm();
            inside(g.input.region);
            inside(g.weights);
            inside(g.accumulator);
            REQUIRE(g.weights.size == g.groups * g.filters * g.k() * e);
            REQUIRE(g.accumulator.size == g.groups * g.m() * g.filters);
            REQUIRE(g.accumulator.size <= buffer_capacity(c, isa::Buffer::Accumulator) / 2);
            const auto& x = g.input.extent;
            REQUIRE(g.input.region.size == x[0] * x[1] * x[2] * x[3] * e);
        } else {
            const isa::Vector& v = in.vector();
            inside(v.dst);
            inside(v.src);
            REQUIRE(v.dst.size == v.dst_elements() * e);
        }
    }
}

// Counts, for every (output element, input channel of its group), how many GEMMs covered it:
// each must be covered exactly once, and every GEMM must pair outputs with their own group.
void check_conv_coverage(const Graph& g, const isa::Program& p, int layer) {
    const Layer& l = g.layers[size_t(layer)];
    const Shape in = g.layers[size_t(l.inputs[0])].output;
    const bool fc = l.kind == LayerKind::FullyConnected;
    const int64_t groups = fc ? 1 : l.conv.groups;
    const int64_t cg = fc ? in.per_image() : in.c / groups;
    const int64_t fg = l.output.c / groups;
    const Shape out = l.output;
    std::vector<uint8_t> covered(size_t(out.elements() * cg), 0);
    int64_t macs = 0;
    for (const isa::Instruction& instr : p.instructions) {
        if (instr.layer != layer || instr.queue != isa::Queue::Array) continue;
        const isa::Gemm& gm = instr.gemm();
        macs += gm.macs();
        for (int64_t j = 0; j < gm.groups; ++j)
            for (int64_t f = 0; f < gm.filters; ++f) {
                const int64_t oc = gm.out_channel0 + j * fg + f;
                REQUIRE(oc < out.c);
                for (int64_t c = 0; c < gm.channels; ++c) {
                    const int64_t ic = gm.input.start[1] + gm.channel_base + j * gm.channel_step + c;
                    REQUIRE(ic / cg == oc / fg);  // same group
                    for (int64_t n = 0; n < gm.out_extent[0]; ++n)
                        for (int64_t y = 0; y < gm.out_extent[1]; ++y)
                            for (int64_t x = 0; x < gm.out_extent[2]; ++x) {
                                const int64_t o = ((gm.out_start[0] + n) * out.c + oc) * out.h * out.w +
                                                  (gm.out_start[1] + y) * out.w + gm.out_start[2] + x;
                                ++covered[size_t(o * cg + ic % cg)];
                            }
                }
            }
    }
    REQUIRE(macs == layer_macs(g, layer));
    for (size_t i = 0; i < covered.size(); ++i)
        if (covered[i] != 1)
            FAIL("layer " << l.name << ": output " << i / size_t(cg) << ", channel " << i % size_t(cg) << " covered "
                          << int(covered[i]) << " times");
}

}  // namespace

TEST_CASE("compiled programs stay inside their buffers for every zoo model", "[compiler]") {
    for (const char* name : {"tpu_v1", "eyeriss", "edge_32x32", "tiny_4x4"})
        for (const char* model : {"lenet5", "alexnet", "resnet18", "mobilenetv2"}) {
            INFO(name << " " << model);
            const NpuConfig c = design(name);
            const std::string m = model;
            const Graph g = inference(model, 2, m == "lenet5" ? 0 : m == "alexnet" ? 99 : 64);
            const CompiledModel cm = compile(g, std::vector<QuantLayer>(g.layers.size()), c, Precision::Int8);
            check_program(c, cm, Precision::Int8);
            CHECK(cm.residency.peak_bytes > 0);  // each of these keeps some activations on chip
            for (size_t i = 1; i < g.layers.size(); ++i)
                if (g.layers[i].kind == LayerKind::Conv2d || g.layers[i].kind == LayerKind::FullyConnected)
                    check_conv_coverage(g, cm.program, int(i));
        }
}

TEST_CASE("compile refuses a precision the design lacks", "[compiler]") {
    const Graph g = inference("lenet5");
    REQUIRE_THROWS_AS(compile(g, std::vector<QuantLayer>(g.layers.size()), design("tpu_v1"), Precision::Fp16),
                      CompileError);
    REQUIRE_THROWS_WITH(compile(g, std::vector<QuantLayer>(g.layers.size()), design("tpu_v1"), Precision::Fp16),
                        Catch::Matchers::Contains("no fp16 MACs"));
}

TEST_CASE("hazard tracker orders conflicting accesses and forgets covered ones", "[compiler][hazards]") {
    HazardTracker t;
    std::vector<int32_t> deps;
    t.access(0, 100, true, 0, 0, deps);  // write
    CHECK(deps.empty());
    t.access(0, 50, false, 1, 1, deps);  // read after write
    CHECK(deps == std::vector<int32_t>{0});
    deps.clear();
    t.access(50, 100, false, 2, 1, deps);
    CHECK(deps == std::vector<int32_t>{0});
    deps.clear();
    t.access(100, 200, false, 3, 1, deps);  // no overlap
    CHECK(deps.empty());
    t.access(0, 100, true, 4, 0, deps);  // write after reads (and the old write)
    CHECK(std::set<int32_t>(deps.begin(), deps.end()) == std::set<int32_t>{0, 1, 2});
    CHECK(t.live_accesses() == 2);  // [100, 200) read and the new write
    deps.clear();
    t.access(10, 20, false, 5, 1, deps);
    CHECK(deps == std::vector<int32_t>{4});
}

TEST_CASE("hazard tracker keeps one read per queue of a region read again and again", "[compiler][hazards]") {
    HazardTracker t;
    std::vector<int32_t> deps;
    t.access(0, 64, true, 0, 0, deps);  // a weight tile loads (queue 0)
    for (int32_t gemm = 1; gemm <= 1000; ++gemm) t.access(0, 64, false, gemm, 2, deps);  // GEMMs read it (queue 2)
    t.access(0, 32, false, 1001, 1, deps);  // a read from another queue stays
    CHECK(t.live_accesses() == 3);          // the write, the last GEMM, the other queue's read
    deps.clear();
    t.access(0, 64, true, 1002, 0, deps);  // the next tile waits for the last GEMM, which the others precede
    CHECK(std::set<int32_t>(deps.begin(), deps.end()) == std::set<int32_t>{0, 1000, 1001});
    deps.clear();
    // A read covering less than the earlier one does not replace it.
    t.access(0, 64, false, 1003, 2, deps);
    t.access(0, 16, false, 1004, 2, deps);
    deps.clear();
    t.access(32, 64, true, 1005, 0, deps);
    CHECK(std::set<int32_t>(deps.begin(), deps.end()) == std::set<int32_t>{1002, 1003});
}

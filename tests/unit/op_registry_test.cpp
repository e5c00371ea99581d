// The op registry: every layer kind has its OpDef, CPU reference entry and lowering, at its own
// index, and the three layers agree on what the kind is.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "common/error.h"
#include "kernels/cpu/ops/cpu_op.h"
#include "sim/compiler/lowering_table.h"
#include "workloads/model_loader.h"
#include "workloads/ops/op_def.h"

using namespace npu;

namespace {

LayerKind kind_at(int k) { return LayerKind(k); }

}  // namespace

TEST_CASE("every layer kind has one entry in each layer of the op registry") {
    std::set<std::string> names;
    for (int k = 0; k < kLayerKindCount; ++k) {
        const OpDef& op = op_def(kind_at(k));
        CAPTURE(op.name);
        CHECK(int(op.kind) == k);
        CHECK(int(cpu_op(kind_at(k)).kind) == k);
        CHECK(int(lowering_for(kind_at(k)).kind) == k);
        CHECK(names.insert(op.name).second);  // names are unique
        CHECK(find_op(op.name) == &op);
        CHECK(std::string(kind_name(kind_at(k))) == op.name);
    }
    CHECK(names.size() == 20);
    CHECK(find_op("conv3d") == nullptr);
}

TEST_CASE("the registry's layers agree on what each kind computes") {
    for (int k = 0; k < kLayerKindCount; ++k) {
        const OpDef& op = op_def(kind_at(k));
        const Lowering& lowering = lowering_for(kind_at(k));
        CAPTURE(op.name);
        // Array ops lower to GEMMs; ops that do no work emit no instructions; vector ops do.
        if (op.unit == OpUnit::Array) CHECK(lowering.lower == &lower_conv);
        if (op.unit == OpUnit::None) CHECK(lowering.lower == nullptr);
        if (op.unit == OpUnit::Vector) CHECK(lowering.lower != nullptr);
        if (op.aliases_input) CHECK(op.unit == OpUnit::None);
        // Only array ops count MACs and hold a weight tensor; a batchnorm folded into one is absorbed.
        CHECK((op.macs != nullptr) == (op.unit == OpUnit::Array));
        CHECK((op.weights != nullptr) == (op.unit == OpUnit::Array));
        CHECK((op.absorb_batchnorm != nullptr) == (op.unit == OpUnit::Array));
        CHECK(has_weights(op.kind) == (op.channel_records != nullptr));
        // INT8 calibration: every kind that changes values chooses its scale (or refuses int8).
        if (op.unit == OpUnit::Array || op.kind == LayerKind::Add || op.kind == LayerKind::Concat)
            CHECK(cpu_op(kind_at(k)).calibrate_int8 != nullptr);
    }
}

TEST_CASE("arity, units and file syntax of the registered ops") {
    CHECK(op_def(LayerKind::Input).min_inputs == 0);
    CHECK(op_def(LayerKind::Input).max_inputs == 0);
    CHECK_FALSE(op_def(LayerKind::Input).in_model_files);
    CHECK(op_def(LayerKind::Add).min_inputs == 2);
    CHECK(op_def(LayerKind::Add).max_inputs == 2);
    CHECK(op_def(LayerKind::Concat).max_inputs == -1);
    CHECK(std::string(unit_name(op_def(LayerKind::Conv2d).unit)) == "array");
    CHECK(std::string(unit_name(op_def(LayerKind::MaxPool).unit)) == "vector");
    CHECK(std::string(unit_name(op_def(LayerKind::Reshape).unit)).empty());
    CHECK(model_file_op_names() ==
          "add, avgpool, batchnorm, channel_shuffle, clip, concat, conv2d, fc, flatten, global_avgpool, layer_norm, "
          "maxpool, mul, "
          "relu, relu6, reshape, slice, softmax, unary");
}

TEST_CASE("a model file naming an unknown or internal type lists the known ones") {
    const std::string model =
        "name: m\ninput: {channels: 1, height: 4, width: 4}\nlayers:\n  - {name: x, type: input}\n";
    try {
        parse_model_yaml(model, "m.yaml", Limits{});
        FAIL("the model loaded");
    } catch (const WorkloadError& e) {
        const std::string what = e.what();
        CHECK(what.find("unknown layer type 'input'") != std::string::npos);
        CHECK(what.find("known: add, avgpool") != std::string::npos);
        CHECK(what.find("m.yaml") != std::string::npos);
    }
}

TEST_CASE("arity is checked from the registry with the layer named") {
    const std::string model =
        "name: m\ninput: {channels: 1, height: 4, width: 4}\nlayers:\n  - {name: r, type: relu}\n"
        "  - {name: s, type: add, inputs: [r]}\n";
    try {
        parse_model_yaml(model, "m.yaml", Limits{});
        FAIL("the model loaded");
    } catch (const WorkloadError& e) {
        CHECK(std::string(e.what()).find("layer 's': add takes 2 input(s), got 1") != std::string::npos);
    }
}

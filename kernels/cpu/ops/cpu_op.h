#pragma once
// The op registry's CPU layer: each layer kind's reference computation and its INT8 calibration,
// one CpuOp per kind (kernels/cpu/ops/cpu_<family>_ops.cpp), beside the kind's OpDef
// (workloads/ops/) and its lowering (sim/compiler/lowering_table.cpp).
#include <vector>

#include "kernels/model/prepared_model.h"
#include "workloads/ir/float_model.h"

namespace npu {

// One layer of a prepared model with the outputs of the layers before it.
struct CpuOpCall {
    const QuantModel& model;
    int index;
    const std::vector<HostTensor>& outputs;

    const Layer& layer() const { return model.graph.layers[size_t(index)]; }
    const QuantLayer& quant() const { return model.layers[size_t(index)]; }
    const HostTensor& in(size_t k = 0) const { return outputs[size_t(layer().inputs[k])]; }
    const QuantLayer& producer(size_t k = 0) const { return model.layers[size_t(layer().inputs[k])]; }
    bool int8() const { return model.precision == Precision::Int8; }
};

// INT8 calibration of one layer: its QuantLayer from the float model and the int8 outputs
// computed so far. A calibration that computes the layer's output on the way may store it in
// `output` (the reference's run() would give the same bytes), saving a second pass.
struct CalibrationCall {
    const FloatModel& float_model;
    QuantModel& model;
    int index;
    const std::vector<HostTensor>& outputs;
    HostTensor* output = nullptr;

    const Layer& layer() const { return model.graph.layers[size_t(index)]; }
    QuantLayer& quant() const { return model.layers[size_t(index)]; }
    const QuantLayer& producer(size_t k = 0) const { return model.layers[size_t(layer().inputs[k])]; }
};

struct CpuOp {
    LayerKind kind;
    HostTensor (*run)(const CpuOpCall& call);
    // nullptr: the output keeps its input's scale (pools, flatten, reshape).
    void (*calibrate_int8)(const CalibrationCall& call) = nullptr;
};

const CpuOp& cpu_op(LayerKind kind);

}  // namespace npu

#pragma once
// Progress lines on stderr for long runs, each rewriting the last ("\r"), with an estimate of the
// time left: each layer is assumed to cost its share of the phase's work, measured on the layers
// done so far.
#include <functional>

#include "sim/runtime/prepared_workload.h"
#include "sim/runtime/simulation.h"

namespace npu::cli {

// `elapsed`: seconds since the run began.
using Clock = std::function<double()>;

// "preparing resnet50: calibrating INT8, layer 40/124 (layer2_1_conv2), 2.1 s, about 3.0 s left".
// Weight generation is weighed by each layer's parameters, calibration and conversion by its
// MACs and output elements (the CPU reference computes every layer once).
PrepareProgress prepare_progress(const std::string& model, const Clock& elapsed);

// "simulating layer 12/54 (layer2_0_conv1), 1.2 s, about 3.4 s left", weighed by MACs (the array)
// and output elements (the vector unit); the simulation began at `started_s`.
Simulation::Progress layer_progress(const Graph& g, const Clock& elapsed, double started_s);

}  // namespace npu::cli

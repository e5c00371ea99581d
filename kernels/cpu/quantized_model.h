#pragma once
// Preparing a model for a run (the CPU side of it): seeded weights rounded or quantized to the
// run's precision, INT8 scales calibrated on the model's own input through the CPU reference.
#include <functional>

#include <vector>

#include "kernels/model/prepared_model.h"
#include "workloads/ir/float_model.h"

namespace npu {

// INT8: per-tensor activation scales calibrated on the model's own input (max |x| / 127; a
// tensor whose values are all integers within [-127, 127] keeps scale 1 so integer examples
// stay exact), per-output-channel weight scales (max |w| / 127, same integer rule), int32 bias
// at scale s_in * s_w; a standalone batchnorm is refused (it runs in FP16 or FP32). FP16 and
// FP32: values rounded to the precision, biases kept in FP32.
// `layer_done` (optional) is called after each layer is calibrated or converted.
QuantModel quantize_model(const FloatModel& inference_model, Precision precision,
                          const std::function<void(int layer)>& layer_done = {});

// Whether the graph carries its own quantization (imported QLinear/ConvInteger layers).
bool has_given_quantization(const Graph& graph);

}  // namespace npu

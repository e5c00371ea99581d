#pragma once
// Attribute readers shared by the ops' read_yaml hooks.
#include <string>
#include <vector>

#include "common/op_attributes.h"
#include "common/yaml_reader.h"

namespace npu {

// kernel, stride, dilation ([h, w] or one value) and padding (one value, [h, w] or
// [top, left, bottom, right]). Pools default the stride to the kernel.
Window2d read_window(const YamlMap& m, bool stride_defaults_to_kernel);
Activation read_activation(const YamlMap& m);  // `activation`: none (default), relu, relu6
std::vector<float> read_floats(const YamlMap& m, const std::string& key);

}  // namespace npu

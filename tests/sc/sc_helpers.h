#pragma once
// Helpers for the SystemC tests. Each TEST_CASE runs in its own process (catch_discover_tests),
// because SystemC elaborates once per process.
#include <string>

#include "sim/config/arch_loader.h"
#include "sim/runtime/simulation.h"
#include "test_paths.h"
#include "workloads/model_loader.h"

namespace npu::test {

inline NpuConfig design(const std::string& name) { return load_design(arch_file(name), energy_dir()); }

inline Graph model(const std::string& name, int64_t batch = 1, int64_t size = 0) {
    Graph g = load_model_file(model_file(name));
    reshape_input(g, batch, size, size);
    return g;
}

// A residual block with batchnorm in training mode, global average pooling and fc, on 1x8x8
// images: the training tests' smallest ResNet.
inline Graph residual_net() {
    return parse_model_yaml(
        "name: t\ninput: {channels: 1, height: 8, width: 8}\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 4, kernel: 3, padding: 1, bias: false}\n"
        "  - {name: c_bn, type: batchnorm}\n"
        "  - {name: c_relu, type: relu}\n"
        "  - {name: c2, type: conv2d, filters: 4, kernel: 3, padding: 1, bias: false}\n"
        "  - {name: c2_bn, type: batchnorm}\n"
        "  - {name: sum, type: add, inputs: [c2_bn, c_relu], activation: relu}\n"
        "  - {name: g, type: global_avgpool}\n"
        "  - {name: f, type: flatten}\n"
        "  - {name: fc, type: fc, out_features: 3}\n",
        "t.yaml");
}

}  // namespace npu::test

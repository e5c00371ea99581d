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

}  // namespace npu::test

#pragma once
// Locations of the source tree's data for tests.
#include <string>

#ifndef NPUSIM_SOURCE_DIR
#error "NPUSIM_SOURCE_DIR must be defined by the build"
#endif

namespace npu::test {

inline std::string source_dir() { return NPUSIM_SOURCE_DIR; }
inline std::string arch_dir() { return source_dir() + "/configs/arch"; }
inline std::string energy_dir() { return source_dir() + "/configs/energy"; }
inline std::string models_dir() { return source_dir() + "/workloads/models"; }
inline std::string arch_file(const std::string& name) { return arch_dir() + "/" + name + ".yaml"; }
inline std::string model_file(const std::string& name) { return models_dir() + "/" + name + ".yaml"; }

}  // namespace npu::test

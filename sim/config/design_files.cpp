#include "sim/config/design_files.h"

#include <filesystem>

#include "sim/config/arch_loader.h"
#include "sim/config/scalesim_config.h"
#include "workloads/import/onnx_import.h"
#include "workloads/import/scalesim_topology.h"
#include "workloads/model_loader.h"

namespace npu {

NpuConfig load_design_file(const std::string& path, const std::string& energy_dir) {
    if (std::filesystem::path(path).extension() == ".cfg") return load_scalesim_config(path, energy_dir);
    return load_design(path, energy_dir);
}

Graph load_workload_file(const std::string& path) {
    const std::filesystem::path::string_type ext = std::filesystem::path(path).extension();
    if (ext == ".csv") return topology_graph(load_scalesim_topology(path));
    if (ext == ".onnx") return import_onnx(path).graph;
    return load_model_file(path);
}

}  // namespace npu

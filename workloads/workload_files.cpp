#include "workloads/workload_files.h"

#include <filesystem>

#include "workloads/import/onnx_import.h"
#include "workloads/import/scalesim_topology.h"
#include "workloads/model_loader.h"

namespace npu {

Graph load_workload_file(const std::string& path, const Limits& limits, bool structure_only) {
    const std::filesystem::path::string_type ext = std::filesystem::path(path).extension();
    if (ext == ".csv") return topology_graph(load_scalesim_topology(path), limits);
    if (ext == ".onnx") {
        OnnxImportOptions options;
        options.limits = limits;
        options.structure_only = structure_only;
        return import_onnx(path, options).graph;
    }
    return load_model_file(path, limits);
}

}  // namespace npu

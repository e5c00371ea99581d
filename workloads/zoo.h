#pragma once
// The model zoo: YAML models in a directory (workloads/models), addressed by file stem.
#include <string>
#include <vector>

namespace npu {

// Stems of the *.yaml files in models_dir, sorted.
std::vector<std::string> zoo_names(const std::string& models_dir);

// A path (contains '/' or ends in .yaml/.yml/.onnx/.csv) is returned as it is; a bare name is
// looked up in models_dir. Throws WorkloadError listing the known names when absent.
std::string resolve_model(const std::string& name_or_path, const std::string& models_dir);

}  // namespace npu

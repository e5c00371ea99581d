#pragma once
// Where the shipped designs, energy tables and models are: next to the executable (a bundle or
// an install: <exe dir>/configs, or <exe dir>/../share/npusim), else the source tree the binary
// was built from.
#include <string>
#include <vector>

namespace npu {

struct DataPaths {
    std::string root;  // holds configs/ and workloads/models/

    static DataPaths locate(const std::string& argv0);
    std::string arch_dir() const { return root + "/configs/arch"; }
    std::string energy_dir() const { return root + "/configs/energy"; }
    std::string models_dir() const { return root + "/workloads/models"; }
};

// Stems of the *.yaml files in a directory, sorted.
std::vector<std::string> yaml_stems(const std::string& dir);

// A path is returned as it is; a bare name is looked up as <dir>/<name>.yaml. Throws
// ConfigError listing the known names when absent.
std::string resolve_design(const std::string& name_or_path, const std::string& dir);

}  // namespace npu

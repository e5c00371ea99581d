#include "sim/config/design_files.h"

#include <filesystem>

#include "sim/config/arch_loader.h"
#include "sim/config/scalesim_config.h"

namespace npu {

NpuConfig load_design_file(const std::string& path, const std::string& energy_dir, const Limits& limits) {
    if (std::filesystem::path(path).extension() == ".cfg") return load_scalesim_config(path, energy_dir, limits);
    return load_design(path, energy_dir, limits);
}

}  // namespace npu

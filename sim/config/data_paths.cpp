#include "sim/config/data_paths.h"

#include <fmt/format.h>

#include <filesystem>

#include "common/error.h"
#include "workloads/zoo.h"

#ifndef NPUSIM_SOURCE_DATA_DIR
#define NPUSIM_SOURCE_DATA_DIR "."
#endif

namespace npu {

namespace fs = std::filesystem;

DataPaths DataPaths::locate(const std::string& argv0) {
    std::error_code ec;
    fs::path exe = fs::canonical("/proc/self/exe", ec);
    if (ec) exe = fs::absolute(argv0, ec);
    const fs::path dir = exe.parent_path();
    for (const fs::path& candidate : {dir, dir / ".." / "share" / "npusim"})
        if (fs::exists(candidate / "configs" / "arch")) return DataPaths{candidate.lexically_normal().string()};
    return DataPaths{NPUSIM_SOURCE_DATA_DIR};
}

std::vector<std::string> yaml_stems(const std::string& dir) { return zoo_names(dir); }

std::string resolve_design(const std::string& name_or_path, const std::string& dir) {
    if (name_or_path.find('/') != std::string::npos || fs::path(name_or_path).has_extension()) {
        if (!fs::exists(name_or_path)) throw ConfigError(fmt::format("{}: no such design file", name_or_path));
        return name_or_path;
    }
    const fs::path candidate = fs::path(dir) / (name_or_path + ".yaml");
    if (fs::exists(candidate)) return candidate.string();
    throw ConfigError(fmt::format("unknown design '{}' (shipped: {}; or give a path to a .yaml file)", name_or_path,
                                  fmt::join(yaml_stems(dir), ", ")));
}

}  // namespace npu

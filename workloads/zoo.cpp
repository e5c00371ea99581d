#include "workloads/zoo.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "common/error.h"

namespace npu {

namespace fs = std::filesystem;

std::vector<std::string> zoo_names(const std::string& models_dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(models_dir, ec))
        if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

std::string resolve_model(const std::string& name_or_path, const std::string& models_dir) {
    const bool is_path = name_or_path.find('/') != std::string::npos || ends_with(name_or_path, ".yaml") ||
                         ends_with(name_or_path, ".yml") || ends_with(name_or_path, ".onnx") ||
                         ends_with(name_or_path, ".csv");
    if (is_path) {
        if (!fs::exists(name_or_path)) throw WorkloadError(fmt::format("{}: no such model file", name_or_path));
        return name_or_path;
    }
    const fs::path candidate = fs::path(models_dir) / (name_or_path + ".yaml");
    if (fs::exists(candidate)) return candidate.string();
    throw WorkloadError(fmt::format("unknown model '{}' (zoo: {}; or give a path to a .yaml file)", name_or_path,
                                    fmt::join(zoo_names(models_dir), ", ")));
}

}  // namespace npu

#include <fmt/format.h>

#include "sim/cli/commands.h"
#include "sim/config/arch_loader.h"
#include "workloads/model_loader.h"
#include "workloads/zoo.h"

namespace npu::cli {

Action add_list_command(CLI::App& app, const DataPaths& paths) {
    return [&paths] {
        fmt::print("designs ({}):\n", paths.arch_dir());
        for (const std::string& name : yaml_stems(paths.arch_dir())) {
            const NpuConfig c = load_design(paths.arch_dir() + "/" + name + ".yaml", paths.energy_dir());
            fmt::print("  {:<16} {}\n", name, c.description);
        }
        fmt::print("\nmodels ({}):\n", paths.models_dir());
        for (const std::string& name : zoo_names(paths.models_dir())) {
            const Graph g = load_model_file(paths.models_dir() + "/" + name + ".yaml");
            const Shape in = g.input().output;
            fmt::print("  {:<16} input {}x{}x{}, {} layers, {:.3f} GMACs, {:.2f} M parameters\n", name, in.c, in.h,
                       in.w, g.layers.size() - 1, double(total_macs(g)) / 1e9, double(total_params(g)) / 1e6);
        }
        return 0;
    };
}

}  // namespace npu::cli

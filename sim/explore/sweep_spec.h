#pragma once
// A design-space sweep (configs/sweeps/*.yaml): a base design, workloads, and axes over any
// design key (a dotted path into the design YAML: array.rows, buffers.unified.size_kib,
// dram.bandwidth_gbps, ...) or run option (run.precision, run.batch), as a grid (every
// combination of `axes`) or an explicit list (`points`). An axis named "a+b" sets both keys to
// each of its values (square arrays: array.rows+array.cols). `set` fixes keys for every point.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "arch/npu_config.h"
#include "common/limits.h"

namespace npu {

struct SweepOverride {
    std::string key;    // dotted key path
    std::string value;  // as written in the sweep file
};

struct SweepPoint {
    size_t index = 0;      // position in the expansion (workloads outer)
    std::string id;        // stable across runs: a hash of workload and overrides
    std::string workload;  // as given in the sweep file
    std::vector<SweepOverride> overrides;
};

struct SweepSpec {
    std::string name;
    std::string source;                  // the sweep file
    std::string base_design;             // resolved path of the base design YAML
    std::string base_yaml;               // its text, read once
    std::vector<std::string> workloads;  // resolved paths
    std::vector<std::string> workload_names;
    std::vector<std::string> axis_keys;  // column names, in order
    std::vector<SweepOverride> fixed;    // `set`: applied to every point before its own values
    bool functional = false;
    std::string precision;  // empty: the design's first
    int64_t batch = 1;
    std::vector<SweepPoint> points;
};

// Paths: designs and models resolve as in `npusim run` (shipped names, or files relative to the
// sweep file's directory). Throws ConfigError naming file, line and key.
SweepSpec load_sweep(const std::string& path, const std::string& arch_dir, const std::string& models_dir,
                     const std::string& energy_dir, int64_t max_points, const Limits& limits = Limits{});

// The base design with a point's design overrides applied, as YAML text.
std::string point_design_yaml(const SweepSpec& spec, const SweepPoint& point);
// A point's run options: the override for run.precision / run.batch, else the sweep's.
std::string point_precision(const SweepSpec& spec, const SweepPoint& point);
int64_t point_batch(const SweepSpec& spec, const SweepPoint& point);
// A point's --prune (run.prune; `none` and no axis: empty, dense).
std::string point_prune(const SweepPoint& point);

}  // namespace npu

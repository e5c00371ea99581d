#pragma once
// Runs a sweep's points, each in its own process (SystemC elaborates once per process; the
// command line comes from the caller, so this library knows no CLI flags), up to `jobs` at a time; records every
// point's outcome in <out>/points/<id>.json (success with the full report, or the error), so an interrupted sweep
// resumes where it stopped; and writes <out>/results.{json,csv}, one row per point, in point order.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/explore/sweep_spec.h"

namespace npu {

// What one point's process must do: simulate `workload_path` on `design_path` and write the
// JSON report to `json_path`.
struct PointJob {
    std::string design_path;
    std::string workload_path;
    std::string json_path;
    int64_t batch = 1;
    std::string precision;  // empty: the design's first
    std::string prune;      // --prune, empty: none
    bool functional = false;
};

struct SweepRunOptions {
    std::string out_dir;
    std::string work_dir;  // per-point designs, reports and logs while running
    // The argv (program first) of the process that runs one point.
    std::function<std::vector<std::string>(const PointJob&)> command;
    int jobs = 1;
    bool retry_failed = false;
    bool write_records = true;  // false on MPI ranks other than 0, which send them to rank 0
    // Called after every finished point: (done, total, failed).
    std::function<void(size_t, size_t, size_t)> progress;
};

// Points without a record yet (or with a failed one, when retrying), in point order.
std::vector<size_t> pending_points(const SweepSpec& spec, const SweepRunOptions& options);

// Runs the given points; returns their records (the JSON written to points/<id>.json).
std::vector<nlohmann::ordered_json> run_points(const SweepSpec& spec, const std::vector<size_t>& points,
                                               const SweepRunOptions& options);

void write_point_record(const SweepRunOptions& options, const nlohmann::ordered_json& record);

// Reads every point's record and writes results.json and results.csv; returns (rows, failed).
std::pair<size_t, size_t> write_results(const SweepSpec& spec, const std::string& out_dir);

}  // namespace npu

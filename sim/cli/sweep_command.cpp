#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "common/error.h"
#include "common/json_text.h"
#include "sim/cli/commands.h"
#include "sim/explore/sweep_mpi.h"
#include "sim/explore/sweep_runner.h"

namespace npu::cli {
namespace {

namespace fs = std::filesystem;

struct SweepArgs {
    std::string sweep;
    std::string out;
    int jobs = int(std::thread::hardware_concurrency());
    int64_t max_points = 100000;
    bool retry_failed = false;
    bool quiet = false;
    std::vector<std::string> limits;
};

std::string duration(double seconds) {
    const int64_t s = int64_t(seconds + 0.5);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

// Each point is one `npusim run` of this same binary, with the sweep's limits.
std::function<std::vector<std::string>(const PointJob&)> point_command(const std::vector<std::string>& limits) {
    return [exe = fs::canonical("/proc/self/exe").string(), limits](const PointJob& job) {
        std::vector<std::string> args = {
            exe,           "run",     "--arch",  job.design_path,          "--workload", job.workload_path, "--json",
            job.json_path, "--quiet", "--batch", std::to_string(job.batch)};
        if (!job.precision.empty()) args.insert(args.end(), {"--precision", job.precision});
        if (!job.prune.empty()) args.insert(args.end(), {"--prune", job.prune});
        if (!job.functional) args.push_back("--timing-only");
        for (const std::string& limit : limits) args.insert(args.end(), {"--limit", limit});
        return args;
    };
}

// One line on a terminal: a bar, points done, the rate and the time left.
std::function<void(size_t, size_t, size_t)> progress_bar(bool show, std::chrono::steady_clock::time_point start) {
    return [show, start](size_t done, size_t total, size_t failed) {
        if (!show) return;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const int width = 30, filled = int(double(width) * double(done) / double(total));
        fmt::print(stderr, "\r\033[K[{}{}] {}/{} points{}, {:.1f}/s, ETA {}", std::string(size_t(filled), '#'),
                   std::string(size_t(width - filled), '.'), done, total,
                   failed ? fmt::format(" ({} failed)", failed) : "", double(done) / elapsed,
                   duration(elapsed / double(done) * double(total - done)));
    };
}

int sweep(const SweepArgs& a, const DataPaths& paths) {
    if (a.jobs < 1) throw UsageError(fmt::format("--jobs: must be >= 1, got {}", a.jobs));
    if (a.max_points < 1) throw UsageError(fmt::format("--max-points: must be >= 1, got {}", a.max_points));
    const Limits limits = parse_limits(a.limits);
    const MpiRanks ranks = mpi_start(nullptr, nullptr);
    struct Finalize {
        const MpiRanks& r;
        ~Finalize() { mpi_stop(r); }
    } finalize{ranks};
    const SweepSpec spec =
        load_sweep(a.sweep, paths.arch_dir(), paths.models_dir(), paths.energy_dir(), a.max_points, limits);
    SweepRunOptions o;
    o.out_dir = a.out.empty() ? spec.name + ".sweep" : a.out;
    check_output_folder("--out", o.out_dir);
    o.command = point_command(a.limits);
    o.work_dir = (fs::path(o.out_dir) / "work" / fmt::format("rank{}", ranks.rank)).string();
    o.jobs = a.jobs;
    o.retry_failed = a.retry_failed;
    o.write_records = ranks.rank == 0;
    const bool root = ranks.rank == 0;
    std::vector<size_t> pending = root ? pending_points(spec, o) : std::vector<size_t>{};
    pending = mpi_broadcast(ranks, pending);
    std::vector<size_t> mine;
    for (size_t i = size_t(ranks.rank); i < pending.size(); i += size_t(ranks.size)) mine.push_back(pending[i]);
    if (root)
        fmt::print(stderr, "sweep '{}': {} points, {} to run ({} already recorded){}\n", spec.name, spec.points.size(),
                   pending.size(), spec.points.size() - pending.size(),
                   ranks.active ? fmt::format(", over {} MPI ranks", ranks.size) : "");
    const auto start = std::chrono::steady_clock::now();
    const bool show = root && !a.quiet && isatty(STDERR_FILENO);
    o.progress = progress_bar(show, start);
    const std::vector<nlohmann::ordered_json> records = run_points(spec, mine, o);
    if (show) fmt::print(stderr, "\n");
    std::vector<std::string> texts;
    for (const auto& r : records) texts.push_back(json_text(r));
    const std::vector<std::string> all = mpi_gather(ranks, texts);
    if (!root) return 0;
    for (size_t i = records.size(); i < all.size(); ++i) write_point_record(o, nlohmann::ordered_json::parse(all[i]));
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto [rows, failed] = write_results(spec, o.out_dir);
    fmt::print("sweep '{}': {} rows ({} failed) in {}; ran {} points at {:.2f} points/s\n", spec.name, rows, failed,
               o.out_dir, all.size(), elapsed > 0 ? double(all.size()) / elapsed : 0.0);
    fmt::print("results: {}/results.csv, {}/results.json (npusim report {} for the HTML page)\n", o.out_dir, o.out_dir,
               o.out_dir);
    if (rows > 0 && failed == rows) {
        fmt::print(stderr, "npusim: error: sweep '{}': every point failed (their errors are in {}/results.csv)\n",
                   spec.name, o.out_dir);
        return 1;
    }
    return 0;
}

}  // namespace

Action add_sweep_command(CLI::App& app, const DataPaths& paths) {
    auto a = std::make_shared<SweepArgs>();
    app.add_option("sweep", a->sweep, "The sweep YAML (configs/sweeps/*.yaml)")->required();
    app.add_option("--out", a->out, "Results directory (default: <name>.sweep)");
    app.add_option("--jobs", a->jobs, "Points run in parallel, one process each (default: the core count)");
    app.add_option("--max-points", a->max_points, "Refuse sweeps with more points (default 100000)");
    app.add_flag("--retry-failed", a->retry_failed, "Run points again whose earlier run failed");
    app.add_flag("--quiet", a->quiet, "No progress bar");
    add_limit_option(app, a->limits);
    app.footer(
        "Each point runs in its own process. Re-running resumes: points with a record are skipped. "
        "Under mpirun the points spread over the ranks and rank 0 writes the results.");
    return [a, &paths] { return sweep(*a, paths); };
}

}  // namespace npu::cli

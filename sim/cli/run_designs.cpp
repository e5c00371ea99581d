#include "sim/cli/run_designs.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/csv_text.h"
#include "common/error.h"
#include "common/file_text.h"
#include "common/json_text.h"
#include "sim/explore/child_process.h"

namespace npu::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

struct DesignRun {
    std::string design;
    int status = 0;     // the child's exit status
    std::string error;  // its one-line error when it failed
    Json report;        // its run --json report when it ran
};

DesignRun run_one(const SideBySide& s, const std::string& design, const fs::path& scratch, size_t index) {
    const std::string json = (scratch / fmt::format("{}.json", index)).string();
    const std::string log = (scratch / fmt::format("{}.log", index)).string();
    std::vector<std::string> args{
        fs::canonical("/proc/self/exe").string(), "run", "--arch", design, "--json", json, "--quiet"};
    args.insert(args.end(), s.run_options.begin(), s.run_options.end());
    const int wait_status = run_logged(args, log);
    DesignRun r{design, WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status), "", {}};
    const std::optional<std::string> text = try_read_file(json);
    if (text && !text->empty()) r.report = Json::parse(*text);
    if (r.report.is_null()) {
        r.error = last_log_line(log);
        const std::string prefix = "npusim: error: ";
        if (r.error.rfind(prefix, 0) == 0) r.error.erase(0, prefix.size());
        if (r.status == 0) r.status = 1;
    }
    return r;
}

struct Row {
    const char* label;
    std::string (*value)(const Json& report);
};

double total(const Json& r, const char* key) { return r["total"][key].get<double>(); }

const Row kRows[] = {
    {"array",
     [](const Json& r) {
         return fmt::format("{}x{} {}", r["array"]["rows"].get<int64_t>(), r["array"]["cols"].get<int64_t>(),
                            r["dataflow"].get<std::string>());
     }},
    {"clock (MHz)", [](const Json& r) { return fmt::format("{:.0f}", r["clock_mhz"].get<double>()); }},
    {"peak TOPS", [](const Json& r) { return fmt::format("{:.3g}", r["peak_tops"].get<double>()); }},
    {"cycles", [](const Json& r) { return std::to_string(r["total"]["cycles"].get<int64_t>()); }},
    {"latency (ms)", [](const Json& r) { return fmt::format("{:.4g}", total(r, "time_ms")); }},
    {"inferences/s", [](const Json& r) { return fmt::format("{:.1f}", total(r, "inferences_per_second")); }},
    {"achieved TOPS", [](const Json& r) { return fmt::format("{:.3g}", total(r, "achieved_tops")); }},
    {"utilization", [](const Json& r) { return fmt::format("{:.1f}%", 100.0 * total(r, "utilization")); }},
    {"energy (mJ)",
     [](const Json& r) { return fmt::format("{:.4g}", r["total"]["energy"]["total_pj"].get<double>() / 1e9); }},
    {"TOPS/W", [](const Json& r) { return fmt::format("{:.3g}", total(r, "tops_per_watt")); }},
    {"DRAM read (MB)", [](const Json& r) { return fmt::format("{:.3f}", total(r, "dram_read_bytes") / 1e6); }},
    {"DRAM written (MB)", [](const Json& r) { return fmt::format("{:.3f}", total(r, "dram_write_bytes") / 1e6); }},
    {"on-chip peak (MB)",
     [](const Json& r) {
         return fmt::format("{:.3f}", r["total"]["memory"]["onchip_peak_bytes"].get<double>() / 1e6);
     }},
    {"area (mm2)", [](const Json& r) { return fmt::format("{:.2f}", total(r, "area_mm2")); }},
    {"check",
     [](const Json& r) {
         return r.contains("check") ? std::string(r["check"]["passed"].get<bool>() ? "PASS" : "FAIL")
                                    : std::string("-");
     }},
};

void print_table(const std::vector<DesignRun>& runs) {
    const Json* first = nullptr;
    for (const DesignRun& r : runs)
        if (!first && !r.report.is_null()) first = &r.report;
    if (first)
        fmt::print("npusim run: {}, {}, batch {}, {}, on {} designs\n\n", (*first)["workload"].get<std::string>(),
                   (*first)["precision"].get<std::string>(), (*first)["batch"].get<int64_t>(),
                   (*first)["mode"].get<std::string>(), runs.size());
    size_t width = 12;
    for (const DesignRun& r : runs) width = std::max(width, r.design.size() + 2);
    fmt::print("{:<20}", "");
    for (const DesignRun& r : runs) fmt::print("{:>{}}", r.design, width);
    fmt::print("\n");
    for (const Row& row : kRows) {
        fmt::print("{:<20}", row.label);
        for (const DesignRun& r : runs) fmt::print("{:>{}}", r.report.is_null() ? "error" : row.value(r.report), width);
        fmt::print("\n");
    }
    if (first) {  // latency relative to the first design that ran
        fmt::print("{:<20}", "latency vs first");
        for (const DesignRun& r : runs)
            fmt::print("{:>{}}",
                       r.report.is_null()
                           ? "-"
                           : fmt::format("{:.2f}x", total(r.report, "time_ms") / total(*first, "time_ms")),
                       width);
        fmt::print("\n");
    }
    for (const DesignRun& r : runs)
        if (!r.error.empty()) fmt::print("{}: {}\n", r.design, r.error);
}

// One row per design, raw numbers in the units of the JSON report (docs/REPORTS.md).
std::string summary_csv(const std::vector<DesignRun>& runs) {
    std::string out =
        "design,status,rows,cols,dataflow,clock_mhz,peak_tops,cycles,time_ms,inferences_per_second,achieved_tops,"
        "utilization,energy_pj,tops_per_watt,dram_read_bytes,dram_write_bytes,onchip_peak_bytes,area_mm2,check,error\n";
    for (const DesignRun& r : runs) {
        out += csv_field(r.design) + (r.report.is_null() ? ",error" : ",ok");
        if (r.report.is_null()) {
            out += std::string(18, ',') + csv_field(r.error) + "\n";
            continue;
        }
        const Json& j = r.report;
        const Json& t = j["total"];
        out += fmt::format(",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},\n", j["array"]["rows"].dump(),
                           j["array"]["cols"].dump(), j["dataflow"].get<std::string>(), j["clock_mhz"].dump(),
                           j["peak_tops"].dump(), t["cycles"].dump(), t["time_ms"].dump(),
                           t["inferences_per_second"].dump(), t["achieved_tops"].dump(), t["utilization"].dump(),
                           t["energy"]["total_pj"].dump(), t["tops_per_watt"].dump(), t["dram_read_bytes"].dump(),
                           t["dram_write_bytes"].dump(), t["memory"]["onchip_peak_bytes"].dump(), t["area_mm2"].dump(),
                           j.contains("check") ? (j["check"]["passed"].get<bool>() ? "pass" : "fail") : "");
    }
    return out;
}

}  // namespace

int run_side_by_side(const SideBySide& s) {
    const fs::path scratch = fs::temp_directory_path() / fmt::format("npusim-run-{}", getpid());
    fs::create_directories(scratch);
    std::vector<DesignRun> runs;
    for (size_t i = 0; i < s.designs.size(); ++i) {
        if (!s.quiet && isatty(STDERR_FILENO))
            fmt::print(stderr, "\r\033[Krunning {} ({}/{})", s.designs[i], i + 1, s.designs.size());
        runs.push_back(run_one(s, s.designs[i], scratch, i));
    }
    if (!s.quiet && isatty(STDERR_FILENO)) fmt::print(stderr, "\r\033[K");
    std::error_code ec;
    fs::remove_all(scratch, ec);
    print_table(runs);
    Json all = Json::array();
    for (const DesignRun& r : runs)
        all.push_back({{"design", r.design},
                       {"status", r.report.is_null() ? "error" : "ok"},
                       {"error", r.error},
                       {"report", r.report}});
    if (!s.json.empty()) write_file(s.json, json_text(Json{{"designs", all}}, 2) + "\n");
    if (!s.csv.empty()) write_file(s.csv, summary_csv(runs));
    int status = 0;
    for (const DesignRun& r : runs) status = std::max(status, r.status == 4 ? 4 : r.status != 0 ? 1 : 0);
    return status == 4 ? 4 : status;
}

}  // namespace npu::cli

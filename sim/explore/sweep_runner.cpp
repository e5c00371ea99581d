#include "sim/explore/sweep_runner.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "common/csv_text.h"
#include "common/error.h"
#include "common/file_text.h"
#include "common/json_text.h"
#include "sim/explore/child_process.h"
#include "sim/report/report.h"

extern char** environ;

namespace npu {

namespace fs = std::filesystem;

namespace {

std::string record_path(const std::string& out_dir, const std::string& id) {
    return (fs::path(out_dir) / "points" / (id + ".json")).string();
}

std::string point_design_path(const std::string& out_dir, const std::string& id) {
    return (fs::path(out_dir) / "points" / (id + ".yaml")).string();
}

// A point's one-line error, without the child's "npusim: error: " and with the values that
// made the point, so that a row of results.csv says which design failed and why.
std::string point_error(const SweepPoint& p, std::string error) {
    const std::string prefix = "npusim: error: ";
    if (error.rfind(prefix, 0) == 0) error.erase(0, prefix.size());
    std::vector<std::string> values;
    for (const SweepOverride& o : p.overrides) values.push_back(o.key + "=" + o.value);
    return values.empty() ? error : fmt::format("point {} ({}): {}", p.index, fmt::join(values, " "), error);
}

std::string read_text(const std::string& path) { return try_read_file(path).value_or(""); }

bool read_json(const std::string& path, nlohmann::ordered_json& out) {
    if (!fs::exists(path)) return false;
    try {
        out = nlohmann::ordered_json::parse(read_text(path));
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

// The record of a point, if a valid one exists (a half-written one means: run it again).
bool read_record(const std::string& path, nlohmann::ordered_json& out) {
    return read_json(path, out) && out.contains("status");
}

nlohmann::ordered_json point_header(const SweepPoint& p) {
    nlohmann::ordered_json j;
    j["index"] = p.index;
    j["id"] = p.id;
    j["workload"] = p.workload;
    nlohmann::ordered_json overrides = nlohmann::ordered_json::object();
    for (const SweepOverride& o : p.overrides) overrides[o.key] = o.value;
    j["overrides"] = overrides;
    return j;
}

struct Child {
    size_t point;
    std::string json, log;
};

}  // namespace

std::vector<size_t> pending_points(const SweepSpec& spec, const SweepRunOptions& o) {
    std::vector<size_t> pending;
    for (const SweepPoint& p : spec.points) {
        nlohmann::ordered_json record;
        if (read_record(record_path(o.out_dir, p.id), record) && (record["status"] == "ok" || !o.retry_failed))
            continue;
        pending.push_back(p.index);
    }
    return pending;
}

void write_point_record(const SweepRunOptions& o, const nlohmann::ordered_json& record) {
    const std::string path = record_path(o.out_dir, record["id"]);
    fs::create_directories(fs::path(path).parent_path());
    // Write then rename, so an interrupted sweep never leaves a half record.
    write_file(path + ".tmp", json_text(record, 1) + "\n");
    fs::rename(path + ".tmp", path);
}

std::vector<nlohmann::ordered_json> run_points(const SweepSpec& spec, const std::vector<size_t>& points,
                                               const SweepRunOptions& o) {
    fs::create_directories(o.work_dir);
    std::vector<nlohmann::ordered_json> records;
    std::map<pid_t, Child> running;
    size_t next = 0, done = 0, failed = 0;
    auto finish = [&](const Child& c, int status) {
        const SweepPoint& p = spec.points[c.point];
        nlohmann::ordered_json r = point_header(p);
        nlohmann::ordered_json report;
        const bool exited_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (exited_ok && read_json(c.json, report)) {
            r["status"] = "ok";
            r["error"] = "";
            r["report"] = report;
        } else {
            r["status"] = "error";
            r["error"] = WIFSIGNALED(status) ? fmt::format("killed by signal {}", WTERMSIG(status))
                                             : point_error(p, last_log_line(c.log));
            ++failed;
        }
        if (!exited_ok || r["status"] == "ok") {
            // The point's working files are no longer needed once its record exists.
            std::error_code ec;
            fs::remove(c.json, ec);
        }
        if (o.write_records) write_point_record(o, r);
        records.push_back(std::move(r));
        ++done;
        if (o.progress) o.progress(done, points.size(), failed);
    };
    while (next < points.size() || !running.empty()) {
        while (next < points.size() && int(running.size()) < std::max(1, o.jobs)) {
            const SweepPoint& p = spec.points[points[next++]];
            const std::string base = (fs::path(o.work_dir) / p.id).string();
            Child c{p.index, base + ".json", base + ".log"};
            PointJob job;
            // Beside the point's record, where it survives the sweep: an error names its lines.
            job.design_path = point_design_path(o.out_dir, p.id);
            job.workload_path =
                spec.workloads[size_t(std::find(spec.workload_names.begin(), spec.workload_names.end(), p.workload) -
                                      spec.workload_names.begin())];
            job.json_path = c.json;
            job.batch = point_batch(spec, p);
            job.precision = point_precision(spec, p);
            job.prune = point_prune(p);
            job.functional = spec.functional;
            const std::vector<std::string> args = o.command(job);
            try {
                fs::create_directories(fs::path(job.design_path).parent_path());
                write_file(job.design_path, point_design_yaml(spec, p));
                running[spawn_logged(args, c.log)] = c;
            } catch (const std::exception& e) {  // the design could not even be written
                write_file(c.log, e.what());
                finish(c, 1 << 8);
            }
        }
        int status = 0;
        const pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) break;
        const auto it = running.find(pid);
        if (it == running.end()) continue;
        const Child c = it->second;
        running.erase(it);
        finish(c, status);
    }
    return records;
}

namespace {

double total(const nlohmann::ordered_json& t, const char* key) { return t.contains(key) ? t[key].get<double>() : 0.0; }

using Json = nlohmann::ordered_json;

double sram_pj(const Json& energy) {
    double pj = 0.0;
    for (const auto& [key, value] : energy.items())
        if (key.rfind("sram_", 0) == 0) pj += value.get<double>();
    return pj;
}

// The metric columns of results.csv and results.json, in order, each read from a point's
// report total: the one table both files are written from.
struct MetricColumn {
    const char* name;
    Json (*value)(const Json& total);
};
const MetricColumn kMetricColumns[] = {
    {"latency_ms", [](const Json& t) { return Json(total(t, "time_ms")); }},
    {"inferences_per_s", [](const Json& t) { return Json(total(t, "inferences_per_second")); }},
    {"achieved_tops", [](const Json& t) { return Json(total(t, "achieved_tops")); }},
    {"utilization", [](const Json& t) { return Json(total(t, "utilization")); }},
    {"energy_mj", [](const Json& t) { return Json(total(t["energy"], "total_pj") / 1e9); }},
    {"mac_mj", [](const Json& t) { return Json(total(t["energy"], "mac_pj") / 1e9); }},
    {"sram_mj", [](const Json& t) { return Json(sram_pj(t["energy"]) / 1e9); }},
    {"dram_mj", [](const Json& t) { return Json(total(t["energy"], "dram_pj") / 1e9); }},
    {"vector_mj", [](const Json& t) { return Json(total(t["energy"], "vector_pj") / 1e9); }},
    {"static_mj", [](const Json& t) { return Json(total(t["energy"], "static_pj") / 1e9); }},
    {"tops_per_watt", [](const Json& t) { return Json(total(t, "tops_per_watt")); }},
    {"area_mm2", [](const Json& t) { return Json(total(t, "area_mm2")); }},
    {"dram_read_mb", [](const Json& t) { return Json(total(t, "dram_read_bytes") / 1e6); }},
    {"dram_write_mb", [](const Json& t) { return Json(total(t, "dram_write_bytes") / 1e6); }},
    {"cycles", [](const Json& t) { return t["cycles"]; }},
};

std::string csv_value(const Json& value) {
    return value.is_number_integer() ? std::to_string(value.get<int64_t>())
                                     : fmt::format("{:.6g}", value.get<double>());
}

}  // namespace

std::pair<size_t, size_t> write_results(const SweepSpec& spec, const std::string& out_dir) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    std::ostringstream csv;
    csv << "index,id,workload";
    for (const std::string& k : spec.axis_keys) csv << "," << csv_field(k);
    csv << ",status";
    for (const MetricColumn& c : kMetricColumns) csv << "," << c.name;
    csv << ",error\n";
    size_t failed = 0;
    for (const SweepPoint& p : spec.points) {
        nlohmann::ordered_json record;
        if (!read_record(record_path(out_dir, p.id), record)) continue;  // not run yet
        nlohmann::ordered_json row = point_header(p);
        row["status"] = record["status"];
        row["error"] = record["error"];
        csv << p.index << "," << p.id << "," << csv_field(p.workload);
        for (const std::string& k : spec.axis_keys)
            csv << "," << csv_field(row["overrides"].contains(k) ? row["overrides"][k].get<std::string>() : "");
        if (record["status"] != "ok") {
            ++failed;
            csv << ",error" << std::string(std::size(kMetricColumns) + 1, ',')
                << csv_field(record["error"].get<std::string>()) << "\n";
            rows.push_back(row);
            continue;
        }
        const Json& t = record["report"]["total"];
        csv << ",ok";
        for (const MetricColumn& c : kMetricColumns) {
            row[c.name] = c.value(t);
            csv << "," << csv_value(row[c.name]);
        }
        csv << ",\n";
        rows.push_back(row);
    }
    nlohmann::ordered_json results;
    results["sweep"] = spec.name;
    results["points"] = spec.points.size();
    results["rows"] = rows;
    write_file((fs::path(out_dir) / "results.json").string(), json_text(results, 1) + "\n");
    write_file((fs::path(out_dir) / "results.csv").string(), csv.str());
    return {rows.size(), failed};
}

}  // namespace npu

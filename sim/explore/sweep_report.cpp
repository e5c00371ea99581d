#include "sim/explore/sweep_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/error.h"
#include "common/file_text.h"
#include "sim/explore/svg_plot.h"

namespace npu {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

Json read_json(const fs::path& path) {
    const std::optional<std::string> text = try_read_file(path.string());
    if (!text) throw Error(fmt::format("{}: cannot open (run npusim sweep first)", path.string()));
    try {
        return Json::parse(*text);
    } catch (const std::exception& e) {
        throw Error(fmt::format("{}: not valid JSON ({})", path.string(), e.what()));
    }
}

// The report reads what `npusim sweep` wrote; a file edited or written by something else must
// fail with a message, not reach a lookup of a missing key.
void require(const Json& j, std::initializer_list<const char*> keys, Json::value_t type, const std::string& where) {
    if (!j.is_object()) throw Error(fmt::format("{}: expected an object", where));
    for (const char* key : keys) {
        const bool number = type == Json::value_t::number_float;
        if (!j.contains(key) || (number ? !j[key].is_number() : j[key].type() != type))
            throw Error(
                fmt::format("{}: '{}' is missing or of the wrong type (not written by npusim sweep?)", where, key));
    }
}

void check_results(const Json& results, const std::string& path) {
    require(results, {"rows"}, Json::value_t::array, path);
    require(results, {"sweep"}, Json::value_t::string, path);
    require(results, {"points"}, Json::value_t::number_unsigned, path);
    for (const Json& row : results["rows"]) {
        require(row, {"index"}, Json::value_t::number_unsigned, path + " (a row)");
        require(row, {"id", "workload", "status", "error"}, Json::value_t::string, path + " (a row)");
        require(row, {"overrides"}, Json::value_t::object, path + " (a row)");
        for (const auto& [k, v] : row["overrides"].items())
            if (!v.is_string()) throw Error(fmt::format("{} (a row): override '{}' is not a string", path, k));
        if (row["status"] == "ok")
            require(row,
                    {"latency_ms", "energy_mj", "area_mm2", "mac_mj", "sram_mj", "dram_mj", "vector_mj", "static_mj",
                     "tops_per_watt", "utilization", "inferences_per_s", "dram_read_mb"},
                    Json::value_t::number_float, path + " (a row)");
    }
}

void check_record(const Json& record, const std::string& path) {
    require(record, {"report"}, Json::value_t::object, path);
    const Json& r = record["report"];
    require(r, {"peak_tops", "dram_bandwidth_gbps", "clock_mhz"}, Json::value_t::number_float, path);
    require(r, {"array"}, Json::value_t::object, path);
    require(r["array"], {"rows", "cols"}, Json::value_t::number_float, path + " (array)");
    require(r, {"layers"}, Json::value_t::array, path);
    for (const Json& l : r["layers"]) {
        require(l, {"name"}, Json::value_t::string, path + " (a layer)");
        require(l, {"utilization", "macs", "dram_read_bytes", "dram_write_bytes", "cycles", "compute_cycles"},
                Json::value_t::number_float, path + " (a layer)");
        require(l, {"energy"}, Json::value_t::object, path + " (a layer)");
        require(l["energy"], {"mac_pj", "dram_pj", "vector_pj", "static_pj"}, Json::value_t::number_float,
                path + " (a layer's energy)");
        for (const auto& [k, v] : l["energy"].items())
            if (!v.is_number()) throw Error(fmt::format("{} (a layer's energy): '{}' is not a number", path, k));
    }
}

std::string escape(const std::string& s) { return html_escape(s); }

std::string describe(const Json& row) {
    std::string text = fmt::format("#{} {}", row["index"].get<size_t>(), row["workload"].get<std::string>());
    for (const auto& [k, v] : row["overrides"].items()) text += fmt::format(" {}={}", k, v.get<std::string>());
    return text;
}

bool ok(const Json& row) { return row["status"] == "ok"; }

// Rows no other row beats on both latency and energy.
std::vector<const Json*> pareto(const std::vector<const Json*>& rows) {
    std::vector<const Json*> front;
    for (const Json* a : rows) {
        bool dominated = false;
        for (const Json* b : rows) {
            const double al = (*a)["latency_ms"], ae = (*a)["energy_mj"], bl = (*b)["latency_ms"],
                         be = (*b)["energy_mj"];
            if (bl <= al && be <= ae && (bl < al || be < ae)) dominated = true;
        }
        if (!dominated) front.push_back(a);
    }
    std::sort(front.begin(), front.end(),
              [](const Json* a, const Json* b) { return (*a)["latency_ms"] < (*b)["latency_ms"]; });
    return front;
}

std::string pareto_section(const std::string& workload, const std::vector<const Json*>& rows,
                           const std::vector<const Json*>& front) {
    double amin = 1e300, amax = 0;
    for (const Json* r : rows) {
        amin = std::min(amin, (*r)["area_mm2"].get<double>());
        amax = std::max(amax, (*r)["area_mm2"].get<double>());
    }
    std::vector<ScatterPoint> points;
    for (const Json* r : rows) {
        ScatterPoint p;
        p.x = (*r)["latency_ms"];
        p.y = (*r)["energy_mj"];
        p.color = amax > amin ? ((*r)["area_mm2"].get<double>() - amin) / (amax - amin) : 0.5;
        p.highlight = std::find(front.begin(), front.end(), r) != front.end();
        p.tooltip =
            fmt::format("{}: {:.4g} ms, {:.4g} mJ, {:.3g} mm2", describe(*r), p.x, p.y, (*r)["area_mm2"].get<double>());
        points.push_back(p);
    }
    ScatterOptions o;
    o.title = fmt::format("{}: latency vs energy of {} designs", workload, rows.size());
    o.highlighted_label = fmt::format("Pareto front ({})", front.size());
    o.x_label = "latency per inference batch (ms)";
    o.y_label = "energy (mJ)";
    o.color_label = "area (mm2)";
    o.log_x = o.log_y = true;
    o.connect_highlighted = true;
    o.color_min = amin;
    o.color_max = amax;
    std::string s = fmt::format("<h2>Pareto front: {}</h2>\n", escape(workload)) + svg_scatter(points, o);
    std::vector<std::string> labels;
    std::vector<BarSeries> series = {{"MAC", {}}, {"SRAM", {}}, {"DRAM", {}}, {"vector", {}}, {"static", {}}};
    for (const Json* r : front) {
        labels.push_back(describe(*r));
        const char* keys[] = {"mac_mj", "sram_mj", "dram_mj", "vector_mj", "static_mj"};
        for (size_t k = 0; k < 5; ++k) series[k].values.push_back((*r)[keys[k]]);
    }
    s += fmt::format("<h2>Energy of the Pareto designs: {}</h2>\n", escape(workload)) +
         svg_stacked_bars(labels, series, "Energy breakdown, fastest first", "mJ");
    return s;
}

std::string layer_section(const Json& record) {
    const Json& report = record["report"];
    const double pes = report["array"]["rows"].get<double>() * report["array"]["cols"].get<double>();
    std::vector<std::string> names;
    BarSeries util{"utilization", {}};
    std::vector<BarSeries> energy = {{"MAC", {}}, {"SRAM", {}}, {"DRAM", {}}, {"vector", {}}, {"static", {}}};
    std::vector<ScatterPoint> roof_points;
    const double peak = report["peak_tops"], bandwidth = report["dram_bandwidth_gbps"], clock = report["clock_mhz"];
    double min_intensity = 1e300, max_intensity = 0;
    for (const Json& l : report["layers"]) {
        names.push_back(l["name"]);
        util.values.push_back(100.0 * l["utilization"].get<double>());
        const Json& e = l["energy"];
        double sram = 0;
        for (const auto& [k, v] : e.items())
            if (k.rfind("sram_", 0) == 0) sram += v.get<double>();
        const double values[] = {e["mac_pj"], sram, e["dram_pj"], e["vector_pj"], e["static_pj"]};
        for (size_t k = 0; k < 5; ++k) energy[k].values.push_back(values[k] / 1e6);
        const double macs = l["macs"], bytes = l["dram_read_bytes"].get<double>() + l["dram_write_bytes"].get<double>();
        const double cycles = std::max(l["cycles"].get<double>(), l["compute_cycles"].get<double>());
        if (macs > 0 && bytes > 0 && cycles > 0) {
            ScatterPoint p;
            p.x = 2 * macs / bytes;
            p.y = 2 * macs / Clock{clock}.ns(int64_t(cycles)) / 1e3;  // ops per ns / 1e3 = TOPS
            p.color = std::min(1.0, macs / (cycles * pes));
            p.tooltip = fmt::format("{}: {:.3g} ops/byte, {:.3g} TOPS", l["name"].get<std::string>(), p.x, p.y);
            roof_points.push_back(p);
            min_intensity = std::min(min_intensity, p.x);
            max_intensity = std::max(max_intensity, p.x);
        }
    }
    std::string s = fmt::format("<h2>Per layer: {}</h2>\n", escape(describe(record)));
    s += svg_stacked_bars(names, {util}, "MAC utilization per layer", "%");
    s += svg_stacked_bars(names, energy, "Energy per layer", "uJ");
    if (!roof_points.empty()) {
        ScatterOptions o;
        o.title = fmt::format("Roofline of the fastest design: DRAM {:.3g} GB/s, peak {:.3g} TOPS", bandwidth, peak);
        o.line_label = "roofline";
        o.x_label = "operational intensity (ops per DRAM byte)";
        o.y_label = "achieved TOPS";
        o.color_label = "utilization";
        o.log_x = o.log_y = true;
        // The x range reaches past the ridge point, so that the compute roof is always drawn.
        const double ridge = peak * 1e3 / bandwidth;
        const double lo = std::min(min_intensity / 2, ridge / 4), hi = std::max(max_intensity * 2, ridge * 4);
        for (double x : {lo, std::clamp(ridge, lo, hi), hi})
            o.line.emplace_back(x, std::min(peak, x * bandwidth / 1e3));
        s += svg_scatter(roof_points, o);
    }
    return s;
}

std::string table_section(const Json& results) {
    std::vector<std::string> keys;
    for (const Json& row : results["rows"])
        for (const auto& [k, v] : row["overrides"].items())
            if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    std::string s =
        "<h2>All points</h2>\n<p>Click a column to sort.</p>\n<table id='rows'><thead><tr><th>#</th><th>workload</th>";
    for (const std::string& k : keys) s += "<th>" + escape(k) + "</th>";
    const char* metrics[] = {"latency_ms",  "energy_mj",        "area_mm2",    "tops_per_watt",
                             "utilization", "inferences_per_s", "dram_read_mb"};
    for (const char* m : metrics) s += fmt::format("<th>{}</th>", m);
    s += "<th>status</th></tr></thead><tbody>\n";
    for (const Json& row : results["rows"]) {
        s += fmt::format("<tr><td>{}</td><td>{}</td>", row["index"].get<size_t>(), escape(row["workload"]));
        for (const std::string& k : keys)
            s += "<td>" + escape(row["overrides"].contains(k) ? row["overrides"][k].get<std::string>() : "") + "</td>";
        for (const char* m : metrics)
            s += "<td>" + (row.contains(m) ? fmt::format("{:.4g}", row[m].get<double>()) : std::string()) + "</td>";
        s += "<td>" + escape(ok(row) ? "ok" : "error: " + row["error"].get<std::string>()) + "</td></tr>\n";
    }
    return s + "</tbody></table>\n";
}

const char* kScript = R"JS(
<script>
document.querySelectorAll('#rows th').forEach((th, column) => {
  th.style.cursor = 'pointer';
  th.onclick = () => {
    const body = document.querySelector('#rows tbody');
    const rows = Array.from(body.rows);
    const ascending = th.dataset.order !== 'asc';
    th.dataset.order = ascending ? 'asc' : 'desc';
    const value = r => { const t = r.cells[column].textContent; const n = parseFloat(t); return isNaN(n) ? t : n; };
    rows.sort((a, b) => { const x = value(a), y = value(b); return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1); });
    rows.forEach(r => body.appendChild(r));
  };
});
</script>
)JS";

}  // namespace

std::string sweep_report_html(const std::string& dir) {
    const fs::path results_path = fs::path(dir) / "results.json";
    const Json results = read_json(results_path);
    check_results(results, results_path.string());
    std::vector<const Json*> good;
    size_t failed = 0;
    for (const Json& row : results["rows"]) {
        if (ok(row))
            good.push_back(&row);
        else
            ++failed;
    }
    std::string body =
        fmt::format("<h1>Sweep '{}'</h1>\n<p>{} points recorded of {}, {} failed.</p>\n", escape(results["sweep"]),
                    results["rows"].size(), results["points"].get<size_t>(), failed);
    // One front per workload: latencies of different networks are not comparable designs.
    std::vector<std::string> workloads;
    for (const Json* row : good)
        if (std::find(workloads.begin(), workloads.end(), (*row)["workload"]) == workloads.end())
            workloads.push_back((*row)["workload"]);
    for (const std::string& workload : workloads) {
        std::vector<const Json*> rows;
        for (const Json* row : good)
            if ((*row)["workload"] == workload) rows.push_back(row);
        const std::vector<const Json*> front = pareto(rows);
        body += pareto_section(workload, rows, front);
        const fs::path record_path = fs::path(dir) / "points" / ((*front.front())["id"].get<std::string>() + ".json");
        const Json record = read_json(record_path);
        check_record(record, record_path.string());
        body += layer_section(record);
    }
    body += table_section(results);
    return "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>npusim sweep " +
           escape(results["sweep"]) +
           "</title>\n<style>body{font-family:sans-serif;margin:1.5em;color:#222} table{border-collapse:collapse;"
           "font-size:13px} td,th{border:1px solid #ccc;padding:3px 6px} th{background:#eee} svg{display:block;"
           "margin:1em 0}</style></head><body>\n" +
           body + kScript + "</body></html>\n";
}

}  // namespace npu

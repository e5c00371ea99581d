#include "sim/config/dram_presets.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

namespace npu {
namespace {

int64_t clocks(const YamlMap& m, const std::string& key) {
    const int64_t v = m.get_int(key);
    if (v < 0 || v > 10'000'000) m.fail(key, fmt::format("{} clocks is outside [0, 10000000]", v));
    return v;
}

int64_t count(const YamlMap& m, const std::string& key, int64_t most) {
    const int64_t v = m.get_int(key);
    if (v < 1 || v > most) m.fail(key, fmt::format("{} is outside [1, {}]", v, most));
    return v;
}

double picojoules(const YamlMap& m, const std::string& key) {
    const double v = m.get_double(key);
    if (!(v >= 0.0 && v < 1e12)) m.fail(key, "must be a non-negative energy in pJ");
    return v;
}

DramPreset read_preset(const std::string& name, const YamlMap& m) {
    DramPreset p;
    p.name = name;
    p.source = m.get_string("source");
    p.tck_ns = m.get_double("tck_ns");
    if (!(p.tck_ns > 0.0 && p.tck_ns < 1000.0)) m.fail("tck_ns", "must be in (0, 1000) ns");
    p.bus_bytes = count(m, "bus_bytes", 1024);
    p.burst_length = count(m, "burst_length", 64);
    if (p.burst_length % 2 != 0) m.fail("burst_length", "must be even (two beats per clock)");
    p.ranks = count(m, "ranks", 16);
    p.bank_groups = count(m, "bank_groups", 16);
    p.banks_per_group = count(m, "banks_per_group", 64);
    p.row_bytes = count(m, "row_bytes", 1 << 20);
    if (p.row_bytes % p.burst_bytes() != 0)
        m.fail("row_bytes", fmt::format("{} B is not a whole number of {} B bursts", p.row_bytes, p.burst_bytes()));
    const YamlMap t = m.child("timing");
    int64_t* fields[] = {&p.cl,    &p.cwl, &p.rcd, &p.rp,    &p.ras,   &p.rc,  &p.ccd_s, &p.ccd_l, &p.rrd_s,
                         &p.rrd_l, &p.faw, &p.wr,  &p.wtr_s, &p.wtr_l, &p.rtp, &p.rtw,   &p.rfc,   &p.refi};
    const char* keys[] = {"cl",    "cwl", "rcd", "rp",    "ras",   "rc",  "ccd_s", "ccd_l", "rrd_s",
                          "rrd_l", "faw", "wr",  "wtr_s", "wtr_l", "rtp", "rtw",   "rfc",   "refi"};
    for (size_t i = 0; i < std::size(keys); ++i) *fields[i] = clocks(t, keys[i]);
    if (p.refi <= p.rfc) t.fail("refi", fmt::format("tREFI {} must exceed tRFC {}", p.refi, p.rfc));
    t.finish();
    const YamlMap e = m.child("energy_pj");
    p.act_pj = picojoules(e, "act");
    p.read_pj = picojoules(e, "read");
    p.write_pj = picojoules(e, "write");
    p.refresh_pj = picojoules(e, "refresh");
    e.finish();
    m.finish();
    return p;
}

}  // namespace

std::map<std::string, DramPreset> load_dram_presets(const std::string& path) {
    const YamlMap root = YamlMap::load_file(path, YamlErrorKind::Config);
    std::map<std::string, DramPreset> presets;
    for (const std::string& name : root.keys()) presets[name] = read_preset(name, root.child(name));
    root.finish();
    return presets;
}

void read_banked_dram(const YamlMap& dram, const std::string& presets_path, DramConfig& d) {
    d.model = DramModel::Banked;
    if (!std::filesystem::exists(presets_path))
        dram.fail("model", fmt::format("the DRAM presets file {} is missing", presets_path));
    const std::map<std::string, DramPreset> presets = load_dram_presets(presets_path);
    const std::string name = dram.get_string("preset");
    const auto found = presets.find(name);
    if (found == presets.end()) {
        std::string known;
        for (const auto& [n, p] : presets) known += (known.empty() ? "" : ", ") + n;
        dram.fail("preset", fmt::format("unknown DRAM preset '{}' ({})", name, known));
    }
    d.preset = found->second;
    const std::string policy = dram.get_string_or("page_policy", "open");
    if (policy != "open" && policy != "closed") dram.fail("page_policy", fmt::format("'{}': open or closed", policy));
    d.page_policy = policy == "open" ? PagePolicy::Open : PagePolicy::Closed;
    if (dram.has("queue_depth")) d.queue_depth = count(dram, "queue_depth", 1024);
    d.burst_bytes = d.preset.burst_bytes();
    d.bandwidth_gbps = double(d.channels) * d.preset.peak_gbps_per_channel();
    d.latency_ns = double(d.preset.rcd + d.preset.cl) * d.preset.tck_ns;  // a closed bank's first data
    if (dram.has("latency_ns")) dram.fail("latency_ns", "a banked DRAM's latency comes from its preset's timings");
    if (dram.has("bandwidth_gbps") &&
        std::fabs(dram.get_double("bandwidth_gbps") - d.bandwidth_gbps) > 0.01 * d.bandwidth_gbps)
        dram.fail("bandwidth_gbps", fmt::format("a banked {} DRAM of {} channels has {} GB/s ({} per channel)", name,
                                                d.channels, d.bandwidth_gbps, d.preset.peak_gbps_per_channel()));
    if (dram.has("burst_bytes") && dram.get_int("burst_bytes") != d.burst_bytes)
        dram.fail("burst_bytes", fmt::format("{}'s bursts are {} bytes", name, d.burst_bytes));
}

}  // namespace npu

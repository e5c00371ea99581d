#include "sim/config/scalesim_config.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/file_text.h"
#include "common/json_text.h"
#include "common/limits.h"
#include "common/text.h"
#include "sim/config/arch_loader.h"

namespace npu {
namespace {

struct Entry {
    std::string value;
    int line;
};

// section -> key -> value, rejecting keys SCALE-Sim v2 does not define.
using Ini = std::map<std::string, std::map<std::string, Entry>>;

const std::map<std::string, std::set<std::string>>& known_keys() {
    static const std::map<std::string, std::set<std::string>> keys = {
        {"general", {"run_name"}},
        {"architecture_presets",
         {"ArrayHeight", "ArrayWidth", "IfmapSramSzkB", "FilterSramSzkB", "OfmapSramSzkB", "IfmapOffset",
          "FilterOffset", "OfmapOffset", "Dataflow", "Bandwidth", "MemoryBanks"}},
        {"run_presets", {"InterfaceBandwidth"}},
        {"network_presets", {"TopologyCsvLoc"}},
    };
    return keys;
}

Ini parse_ini(const std::string& text, const std::string& source) {
    Ini ini;
    std::string section;
    std::stringstream in(text);
    std::string raw;
    int number = 0;
    while (std::getline(in, raw)) {
        ++number;
        const std::string line = trim(raw.substr(0, raw.find_first_of("#;")));
        if (line.empty()) continue;
        if (line.front() == '[') {
            if (line.back() != ']')
                throw ConfigError(fmt::format("{}:{}: malformed section '{}'", source, number, line));
            section = trim(line.substr(1, line.size() - 2));
            if (!known_keys().count(section))
                throw ConfigError(fmt::format("{}:{}: [{}]: unknown section", source, number, section));
            continue;
        }
        const size_t sep = line.find_first_of(":=");
        if (sep == std::string::npos || section.empty())
            throw ConfigError(
                fmt::format("{}:{}: expected 'key: value' inside a section, got '{}'", source, number, line));
        const std::string key = trim(line.substr(0, sep));
        if (!known_keys().at(section).count(key))
            throw ConfigError(fmt::format("{}:{}: {}.{}: unknown key", source, number, section, key));
        ini[section][key] = Entry{trim(line.substr(sep + 1)), number};
    }
    return ini;
}

class IniReader {
public:
    IniReader(const Ini& ini, std::string source) : m_ini(ini), m_source(std::move(source)) {}

    const Entry* find(const std::string& section, const std::string& key) const {
        const auto s = m_ini.find(section);
        if (s == m_ini.end()) return nullptr;
        const auto k = s->second.find(key);
        return k == s->second.end() ? nullptr : &k->second;
    }
    int64_t positive(const std::string& section, const std::string& key, int64_t fallback = -1) const {
        const Entry* e = find(section, key);
        if (!e) {
            if (fallback > 0) return fallback;
            throw ConfigError(fmt::format("{}: {}.{}: missing required key", m_source, section, key));
        }
        try {
            size_t used = 0;
            const long long v = std::stoll(e->value, &used);
            if (used == e->value.size() && v >= 1 && v <= kMaxFileInteger) return v;
        } catch (const std::exception&) {
        }
        throw ConfigError(fmt::format("{}:{}: {}.{}: expected a positive integer below 2^31, got '{}'", m_source,
                                      e->line, section, key, e->value));
    }
    std::string text(const std::string& section, const std::string& key, const std::string& fallback) const {
        const Entry* e = find(section, key);
        return e ? e->value : fallback;
    }
    int line(const std::string& section, const std::string& key) const {
        const Entry* e = find(section, key);
        return e ? e->line : 0;
    }

private:
    const Ini& m_ini;
    std::string m_source;
};

// The npusim YAML design equivalent to the .cfg, so that one loader validates both.
std::string design_yaml(const IniReader& r, const std::string& name, const std::string& source) {
    const std::string arch = "architecture_presets";
    const int64_t rows = r.positive(arch, "ArrayHeight"), cols = r.positive(arch, "ArrayWidth");
    if (!r.find(arch, "Dataflow"))
        throw ConfigError(fmt::format("{}: {}.Dataflow: missing required key", source, arch));
    const std::string dataflow = r.text(arch, "Dataflow", "");
    if (dataflow != "ws" && dataflow != "os" && dataflow != "is")
        throw ConfigError(fmt::format("{}:{}: {}.Dataflow: expected os, ws or is, got '{}'", source,
                                      r.line(arch, "Dataflow"), arch, dataflow));
    const std::string mode = r.text("run_presets", "InterfaceBandwidth", "CALC");
    if (mode != "CALC" && mode != "USER")
        throw ConfigError(fmt::format("{}:{}: run_presets.InterfaceBandwidth: expected CALC or USER, got '{}'", source,
                                      r.line("run_presets", "InterfaceBandwidth"), mode));
    const int64_t banks = r.positive(arch, "MemoryBanks", 1);
    const int64_t port = std::max(rows, cols);
    const int64_t ofmap_kib = r.positive(arch, "OfmapSramSzkB");
    constexpr double kAssumedClockMhz = 1000.0;
    const double bandwidth_gbps = double(r.positive(arch, "Bandwidth", 10)) * kAssumedClockMhz / 1000.0;
    return fmt::format(
        "name: {}\n"
        "description: {}\n"
        "array: {{rows: {}, cols: {}, dataflow: {}}}\n"
        "precisions: [int8]\n"
        "clock_mhz: {}\n"
        "buffers:\n"
        "  ifmap: {{size_kib: {}, banks: {}, bytes_per_cycle: {}}}\n"
        "  weight: {{size_kib: {}, banks: {}, bytes_per_cycle: {}}}\n"
        "  output: {{size_kib: {}, banks: {}, bytes_per_cycle: {}}}\n"
        "accumulator: {{size_kib: {}, banks: {}, bytes_per_cycle: {}}}\n"
        "dram: {{type: lpddr4, bandwidth_gbps: {}, channels: 1}}\n"
        "vector: {{lanes: {}}}\n"
        "technology: {{node_nm: 45, energy_table: horowitz_45nm}}\n",
        json_text(nlohmann::json(name)),  // JSON strings are YAML double-quoted scalars: any run_name is safe
        json_text(
            nlohmann::json(fmt::format("SCALE-Sim config {} ({}x{} {}; npusim assumes int8, 1 GHz, acc 4x ofmap SRAM)",
                                       std::filesystem::path(source).filename().string(), rows, cols, dataflow))),
        rows, cols, dataflow, kAssumedClockMhz, r.positive(arch, "IfmapSramSzkB"), banks, port,
        r.positive(arch, "FilterSramSzkB"), banks, port, ofmap_kib, banks, port, 4 * ofmap_kib, banks, 4 * cols,
        bandwidth_gbps, cols);
}

}  // namespace

NpuConfig parse_scalesim_config(const std::string& text, const std::string& source, const std::string& energy_dir,
                                const Limits& limits) {
    const Ini ini = parse_ini(text, source);
    const IniReader reader(ini, source);
    const std::string name = reader.text("general", "run_name", std::filesystem::path(source).stem().string());
    const std::string yaml = design_yaml(reader, name, source);
    try {
        NpuConfig c = parse_design(yaml, source, energy_dir, limits);
        c.source = source;
        return c;
    } catch (const ConfigError& e) {
        // The derived YAML is ours; name the .cfg and what it implied.
        throw ConfigError(
            fmt::format("{}: this SCALE-Sim config implies an npusim design that is invalid: {}", source, e.what()));
    }
}

NpuConfig load_scalesim_config(const std::string& path, const std::string& energy_dir, const Limits& limits) {
    return parse_scalesim_config(read_file_or_throw<ConfigError>(path), path, energy_dir, limits);
}

}  // namespace npu

#include "sim/config/arch_loader.h"

#include "sim/config/dram_presets.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "common/error.h"
#include "common/limits.h"
#include "common/yaml_reader.h"

namespace npu {
namespace {

struct DramPreset {
    double pj_per_bit = 0.0;
    double latency_ns = 0.0;
};

// An energy file: the per-operation table plus DRAM presets and node scaling factors.
struct Technology {
    EnergyTable table;
    AreaTable area;
    std::map<double, double> area_scaling;
    std::map<std::string, DramPreset> dram;
    std::map<double, double> node_scaling;
};

double positive(const YamlMap& m, const std::string& key) {
    const double v = m.get_double(key);
    if (!(v > 0.0) || !std::isfinite(v)) m.fail(key, fmt::format("must be > 0 (got {})", v));
    return v;
}

// A node-scaling key (a node in nm): a positive number, or an error naming the key.
double node_key(const YamlMap& m, const std::string& key) {
    char* end = nullptr;
    const double nm = std::strtod(key.c_str(), &end);
    if (key.empty() || *end != '\0' || !(nm > 0)) m.fail(key, "expected a technology node in nm (a positive number)");
    return nm;
}

int64_t positive_int(const YamlMap& m, const std::string& key) {
    const int64_t v = m.get_int(key);
    if (v < 1) m.fail(key, fmt::format("must be >= 1 (got {})", v));
    return v;
}

Technology read_technology(const YamlMap& root) {
    Technology t;
    t.table.name = root.get_string("name");
    t.table.node_nm = positive(root, "node_nm");
    const YamlMap pe = root.child("pe");
    t.table.mac_int8_pj = positive(pe, "mac_int8_pj");
    t.table.mac_fp16_pj = positive(pe, "mac_fp16_pj");
    t.table.mac_bf16_pj = positive(pe, "mac_bf16_pj");
    t.table.mac_fp32_pj = positive(pe, "mac_fp32_pj");
    t.table.pe_register_ratio = pe.get_double("register_ratio");
    pe.finish();
    for (const YamlMap& point : root.map_list("sram_pj_per_64b")) {
        t.table.sram_pj_per_64b.emplace_back(positive(point, "size_kib"), positive(point, "pj"));
        point.finish();
    }
    for (size_t i = 1; i < t.table.sram_pj_per_64b.size(); ++i)
        if (t.table.sram_pj_per_64b[i].first <= t.table.sram_pj_per_64b[i - 1].first)
            root.fail("sram_pj_per_64b", "sizes must increase");
    const YamlMap vector = root.child("vector");
    t.table.vector_int8_op_pj = positive(vector, "int8_op_pj");
    t.table.vector_fp16_op_pj = positive(vector, "fp16_op_pj");
    vector.finish();
    const YamlMap leakage = root.child("leakage");
    t.table.leakage_uw_per_pe = leakage.get_double("uw_per_pe");
    t.table.leakage_uw_per_kib = leakage.get_double("uw_per_kib");
    leakage.finish();
    const YamlMap dram = root.child("dram");
    for (const std::string& type : dram.keys()) {
        const YamlMap preset = dram.child(type);
        t.dram[type] = DramPreset{positive(preset, "pj_per_bit"), preset.get_double("latency_ns")};
        preset.finish();
    }
    const YamlMap scaling = root.child("node_scaling");
    for (const std::string& node : scaling.keys()) t.node_scaling[node_key(scaling, node)] = positive(scaling, node);
    scaling.finish();
    const YamlMap area = root.child("area");
    t.area.pe_int8_um2 = positive(area, "pe_int8_um2");
    t.area.pe_fp16_um2 = positive(area, "pe_fp16_um2");
    t.area.pe_bf16_um2 = positive(area, "pe_bf16_um2");
    t.area.pe_fp32_um2 = positive(area, "pe_fp32_um2");
    t.area.vector_lane_um2 = positive(area, "vector_lane_um2");
    t.area.sram_um2_per_kib = positive(area, "sram_um2_per_kib");
    t.area.overhead_fraction = area.get_double("overhead_fraction");
    if (!(t.area.overhead_fraction >= 0 && t.area.overhead_fraction < 1))
        area.fail("overhead_fraction", "must be in [0, 1)");
    const YamlMap area_scaling = area.child("node_scaling");
    for (const std::string& node : area_scaling.keys())
        t.area_scaling[node_key(area_scaling, node)] = positive(area_scaling, node);
    area_scaling.finish();
    area.finish();
    root.finish();
    return t;
}

Technology load_technology(const std::string& path) {
    return read_technology(YamlMap::load_file(path, YamlErrorKind::Config));
}

Dataflow read_dataflow(const YamlMap& m) {
    const std::string d = m.get_string("dataflow");
    Dataflow dataflow;
    if (parse_dataflow(d, dataflow)) return dataflow;
    m.fail("dataflow", fmt::format("unknown dataflow '{}' (ws, os, is)", d));
}

BufferConfig read_buffer(const YamlMap& m, const Limits& limits) {
    BufferConfig b;
    const int64_t kib = positive_int(m, "size_kib");
    if (kib > limits.sram_mib * 1024)
        m.fail("size_kib", fmt::format("{} KiB is beyond the on-chip SRAM limit {}", kib, limits.hint("sram_mib")));
    b.size_bytes = kib * 1024;
    if (m.has("banks")) b.banks = positive_int(m, "banks");
    b.bytes_per_cycle = positive_int(m, "bytes_per_cycle");
    if (b.size_bytes % b.banks != 0)
        m.fail("banks", fmt::format("{} banks do not divide {} KiB evenly", b.banks, b.size_bytes / 1024));
    m.finish();
    return b;
}

// Every double-buffered operand must hold at least one fold of the array in each half, else
// no tiling of any layer can fit.
void check_minimum_tiles(const NpuConfig& c, const YamlMap& buffers, const YamlMap& root) {
    int64_t widest = 1;
    for (Precision p : c.precisions) widest = std::max<int64_t>(widest, int64_t(element_bytes(p)));
    const int64_t ifmap = 2 * c.rows * widest;
    const int64_t weight = 2 * c.rows * c.cols * widest;
    const int64_t output = 2 * c.cols * (widest + 12);
    auto need = [&](const char* key, const BufferConfig& b, int64_t bytes, const std::string& what) {
        if (b.present() && b.size_bytes < bytes)
            buffers.fail(key, fmt::format("{} KiB cannot hold {} ({} bytes)", b.size_bytes / 1024.0, what, bytes));
    };
    need("ifmap", c.ifmap, ifmap, "two input vectors of the array");
    need("weight", c.weight, weight, fmt::format("two {}x{} weight folds", c.rows, c.cols));
    need("output", c.output, output, "two output rows with their channel parameters");
    int64_t shared = 0;
    if (!c.ifmap.present()) shared += ifmap;
    if (!c.weight.present()) shared += weight;
    if (!c.output.present()) shared += output;
    if (shared > 0 && !c.unified.present())
        buffers.fail_here("operands without a dedicated buffer (ifmap, weight, output) need a unified buffer");
    need("unified", c.unified, shared, "one double-buffered tile of every operand it hosts");
    if (c.accumulator_depth() < 2)
        root.fail("accumulator", fmt::format("{} bytes hold fewer than two rows of {} 32-bit partial sums",
                                             c.accumulator.size_bytes, c.cols));
}

// The DRAM section; keys left out keep DramConfig's defaults (channels, burst) or the type's
// preset (latency) from the energy table. model: banked takes its timing from a JEDEC preset
// (read_banked_dram).
DramConfig read_dram(const YamlMap& dram, const Technology& t, const std::string& energy_dir) {
    DramConfig d;
    d.type = dram.get_string("type");
    const auto preset = t.dram.find(d.type);
    if (preset == t.dram.end()) {
        std::string known;
        for (const auto& [name, p] : t.dram) known += (known.empty() ? "" : ", ") + name;
        dram.fail("type", fmt::format("unknown DRAM type '{}' ({})", d.type, known));
    }
    d.energy_pj_per_bit = preset->second.pj_per_bit;
    if (dram.has("channels")) d.channels = positive_int(dram, "channels");
    if (d.channels > 1024) dram.fail("channels", fmt::format("{} channels: at most 1024", d.channels));
    if (dram.has("capacity_gib")) d.capacity_gib = positive(dram, "capacity_gib");
    if (d.capacity_gib > 1e6) dram.fail("capacity_gib", fmt::format("{} GiB: at most 1000000", d.capacity_gib));
    const std::string model = dram.get_string_or("model", "simple");
    if (model == "banked") {
        read_banked_dram(dram, energy_dir + "/../dram/jedec.yaml", d);
        dram.finish();
        return d;
    }
    if (model != "simple") dram.fail("model", fmt::format("unknown DRAM model '{}' (simple, banked)", model));
    for (const char* key : {"preset", "page_policy", "queue_depth"})
        if (dram.has(key)) dram.fail(key, "only with model: banked");
    d.latency_ns = dram.has("latency_ns") ? dram.get_double("latency_ns") : preset->second.latency_ns;
    // Bounds that keep a run's time sane: a near-zero bandwidth or huge latency would make every
    // transfer take longer than SystemC's time range; every transfer visits every channel.
    if (d.latency_ns < 0.0 || d.latency_ns > 1e6) dram.fail("latency_ns", "must be in [0, 1000000] ns");
    d.bandwidth_gbps = positive(dram, "bandwidth_gbps");
    if (d.bandwidth_gbps < 0.01 || d.bandwidth_gbps > 1e6)
        dram.fail("bandwidth_gbps", fmt::format("{} GB/s is outside [0.01, 1000000]", d.bandwidth_gbps));
    if (dram.has("burst_bytes")) d.burst_bytes = positive_int(dram, "burst_bytes");
    if (d.burst_bytes > (1 << 20)) dram.fail("burst_bytes", "at most 1 MiB");
    dram.finish();
    return d;
}

// The SRAM buffers and the accumulator, within the limit on SRAM in all.
void read_buffers(const YamlMap& root, const YamlMap& buffers, const Limits& limits, NpuConfig& c) {
    if (auto b = buffers.child_opt("unified")) c.unified = read_buffer(*b, limits);
    if (auto b = buffers.child_opt("ifmap")) c.ifmap = read_buffer(*b, limits);
    if (auto b = buffers.child_opt("weight")) c.weight = read_buffer(*b, limits);
    if (auto b = buffers.child_opt("output")) c.output = read_buffer(*b, limits);
    buffers.finish();
    c.accumulator = read_buffer(root.child("accumulator"), limits);
    int64_t sram_bytes = 0;
    for (const BufferConfig* b : {&c.unified, &c.ifmap, &c.weight, &c.output, &c.accumulator})
        sram_bytes += b->size_bytes;
    if (sram_bytes > limits.sram_mib * 1024 * 1024)
        root.fail_here(fmt::format("the buffers hold {} MiB together, beyond the limit {}", sram_bytes >> 20,
                                   limits.hint("sram_mib")));
}

// The technology block: the node and the energy table, scaled from the table's node to the design's.
Technology read_technology(const YamlMap& tech, const std::string& energy_dir, NpuConfig& c) {
    c.technology_nm = positive(tech, "node_nm");
    const std::string table = tech.get_string("energy_table");
    const std::string table_path = energy_dir + "/" + table + ".yaml";
    if (!std::filesystem::exists(table_path))
        tech.fail("energy_table", fmt::format("no energy table '{}' in {}", table, energy_dir));
    tech.finish();
    const Technology t = load_technology(table_path);
    c.energy = t.table;
    const auto scale = t.node_scaling.find(c.technology_nm);
    const auto base = t.node_scaling.find(t.table.node_nm);
    if (scale == t.node_scaling.end() || base == t.node_scaling.end())
        tech.fail("node_nm", fmt::format("energy table '{}' has no scaling for {} nm", table, c.technology_nm));
    c.energy.scale_to_design = scale->second / base->second;
    c.area = t.area;
    const auto area_scale = t.area_scaling.find(c.technology_nm);
    if (area_scale == t.area_scaling.end())
        tech.fail("node_nm", fmt::format("energy table '{}' has no area scaling for {} nm", table, c.technology_nm));
    c.area.scale_to_design = area_scale->second;
    return t;
}

MemoryPolicy read_memory(const YamlMap& m) {
    MemoryPolicy p;
    p.residency = m.get_bool_or("residency", p.residency);
    p.resident_fraction = m.get_double_or("resident_fraction", p.resident_fraction);
    p.fusion = m.get_bool_or("fusion", p.fusion);
    p.tiling_slack = m.get_double_or("tiling_slack", p.tiling_slack);
    if (!(p.resident_fraction > 0.0 && p.resident_fraction < 1.0))
        m.fail("resident_fraction",
               fmt::format("{}: the share of the buffer kept for resident tensors must lie strictly between 0 and 1 "
                           "(the rest holds the tiles)",
                           p.resident_fraction));
    if (!(p.tiling_slack >= 0.0 && p.tiling_slack < 1.0))
        m.fail("tiling_slack",
               fmt::format("{}: the share of the fastest tiling's estimated cycles a tiling moving fewer DRAM bytes "
                           "may exceed must lie in [0, 1)",
                           p.tiling_slack));
    m.finish();
    return p;
}

NpuConfig read_design(const YamlMap& root, const std::string& energy_dir, const Limits& limits) {
    NpuConfig c;
    c.name = root.get_string("name");
    c.source = root.file();
    c.description = root.get_string_or("description", "");
    const YamlMap array = root.child("array");
    c.rows = positive_int(array, "rows");
    c.cols = positive_int(array, "cols");
    c.dataflow = read_dataflow(array);
    if (array.has("sparsity")) {
        const std::string name = array.get_string("sparsity");
        if (!parse_sparsity(name, c.sparsity))
            array.fail("sparsity", fmt::format("unknown sparsity '{}' (none, nm, zero_gate, zero_skip)", name));
        if (const std::string error = sparsity_dataflow_error(c.sparsity, c.dataflow); !error.empty())
            array.fail("sparsity", error);
    }
    if (saturating_mul(c.rows, c.cols) > limits.array_pes)
        array.fail("cols", fmt::format("a {} x {} array has more PEs than the limit {}", c.rows, c.cols,
                                       limits.hint("array_pes")));
    array.finish();
    for (const std::string& name : root.get_string_list("precisions")) {
        Precision p;
        if (!parse_precision(name, p))
            root.fail("precisions", fmt::format("unknown precision '{}' (int8, fp16, bf16, fp32)", name));
        c.precisions.push_back(p);
    }
    if (c.precisions.empty()) root.fail("precisions", "list at least one precision");
    c.clock_mhz = positive(root, "clock_mhz");
    if (c.clock_mhz > 100000) root.fail("clock_mhz", fmt::format("{} MHz is beyond 100 GHz", c.clock_mhz));

    const YamlMap buffers = root.child("buffers");
    read_buffers(root, buffers, limits, c);
    const Technology t = read_technology(root.child("technology"), energy_dir, c);
    c.dram = read_dram(root.child("dram"), t, energy_dir);
    if (root.has("queue_depth")) c.queue_depth = positive_int(root, "queue_depth");
    if (c.queue_depth > 65536) root.fail("queue_depth", fmt::format("{} entries: at most 65536", c.queue_depth));

    const YamlMap vector = root.child("vector");
    c.vector_lanes = positive_int(vector, "lanes");
    vector.finish();
    if (root.has("memory")) c.memory = read_memory(root.child("memory"));
    root.finish();
    check_minimum_tiles(c, buffers, root);
    return c;
}

}  // namespace

NpuConfig load_design(const std::string& path, const std::string& energy_dir, const Limits& limits) {
    return read_design(YamlMap::load_file(path, YamlErrorKind::Config), energy_dir, limits);
}

NpuConfig parse_design(const std::string& text, const std::string& source_name, const std::string& energy_dir,
                       const Limits& limits) {
    return read_design(YamlMap::load_string(text, source_name, YamlErrorKind::Config), energy_dir, limits);
}

EnergyTable load_energy_table(const std::string& path) { return load_technology(path).table; }

}  // namespace npu

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/csv_text.h"
#include "common/error.h"
#include "common/json_text.h"
#include "sim/report/report.h"

namespace npu {
namespace {

nlohmann::ordered_json energy_json(const EnergyBreakdown& e) {
    nlohmann::ordered_json j;
    j["total_pj"] = e.total_pj();
    j["mac_pj"] = e.mac_pj;
    j["dram_pj"] = e.dram_pj;
    j["vector_pj"] = e.vector_pj;
    j["static_pj"] = e.static_pj;
    for (const auto& [name, pj] : e.sram_pj) j["sram_" + name + "_pj"] = pj;
    return j;
}

// A sparse array's counts (arch/sparse_gemm.h); `macs` is what the array executed.
nlohmann::ordered_json sparsity_json(const SparsityCounts& s, int64_t macs) {
    return {{"dense_macs", macs + s.skipped_macs},
            {"skipped_macs", s.skipped_macs},
            {"gated_macs", s.gated_macs},
            {"packed_weight_bytes", s.packed_weight_bytes}};
}

nlohmann::ordered_json layer_json(const LayerResult& l, const RunResult& r) {
    nlohmann::ordered_json j;
    j["name"] = l.name;
    j["type"] = l.kind;
    j["output"] = {l.output.n, l.output.c, l.output.h, l.output.w};
    if (l.gemm.groups > 0) j["gemm"] = {{"m", l.gemm.m}, {"k", l.gemm.k}, {"n", l.gemm.n}, {"groups", l.gemm.groups}};
    j["macs"] = l.macs;
    if (r.sparsity_mode != "none") j["sparsity"] = sparsity_json(l.sparsity, l.macs);
    if (l.weights.values > 0)
        j["weights"] = {{"values", l.weights.values}, {"nonzero", l.weights.nonzero}, {"density", l.weights.density()}};
    j["cycles"] = l.cycles;
    j["compute_cycles"] = l.compute_cycles;
    j["stall_cycles"] = l.stall_cycles;
    j["utilization"] = l.utilization(r.rows * r.cols);
    j["folds"] = l.folds;
    j["instructions"] = l.instructions;
    j["dram_read_bytes"] = l.dram_read_bytes;
    j["dram_write_bytes"] = l.dram_write_bytes;
    j["memory"] = {{"input", l.input_home},
                   {"weights", l.weights_home},
                   {"output", l.output_home},
                   {"onchip_bytes", l.onchip_bytes},
                   {"onchip_read_bytes", l.onchip_read_bytes},
                   {"onchip_write_bytes", l.onchip_write_bytes}};
    if (l.tiling.tiles > 0) {
        const LayerTiling& t = l.tiling;
        j["tiling"] = {{"shape", t.shape},
                       {"loop_order", t.order},
                       {"tiles", t.tiles},
                       {"fitting", t.fitting},
                       {"estimated_cycles", t.estimated_cycles},
                       {"estimated_dram_bytes", t.estimated_dram_bytes},
                       {"bound", t.bound},
                       {"runner_up", t.runner_up},
                       {"runner_up_cycles", t.runner_up_cycles},
                       {"reason", t.reason}};
    }
    j["sram_read_bytes"] = l.sram_read_bytes;
    j["sram_write_bytes"] = l.sram_write_bytes;
    j["accumulator_reads"] = l.accumulator_reads;
    j["accumulator_writes"] = l.accumulator_writes;
    j["vector_ops"] = l.vector_ops;
    j["energy"] = energy_json(l.energy);
    if (l.checked) {
        j["check"] = {
            {"mismatches", l.mismatches}, {"max_abs_error", l.max_abs_error}, {"relative_error", l.relative_error}};
    }
    return j;
}

nlohmann::ordered_json provenance_json(const Provenance& p, const std::string& timing_model) {
    nlohmann::ordered_json j;
    j["npusim_version"] = p.npusim_version;
    j["schema_version"] = p.schema_version;
    j["seed"] = p.seed;
    j["timing_model"] = timing_model;
    if (!p.fidelity.empty()) j["fidelity"] = p.fidelity;
    j["input_size"] = p.input_size;
    return j;
}

// Every raw counter by hierarchical name: its unit, total and share of each layer (by the
// layer's graph index; `tags` names them).
nlohmann::ordered_json stats_json(const RunResult& r) {
    nlohmann::ordered_json j;
    j["tags"] = nlohmann::ordered_json::array();
    for (const std::string& name : r.stats_tags) j["tags"].push_back(name);
    nlohmann::ordered_json counters;
    for (const CounterDump& c : r.stats)
        counters[c.name] = {{"unit", c.unit}, {"total", c.total}, {"by_tag", c.by_tag}};
    j["counters"] = counters;
    return j;
}

}  // namespace

std::string to_json(const RunResult& r) {
    nlohmann::ordered_json j;
    j["design"] = r.design;
    j["workload"] = r.workload;
    j["precision"] = r.precision;
    j["dataflow"] = r.dataflow;
    j["batch"] = r.batch;
    j["mode"] = r.functional ? "functional" : "timing-only";
    j["timing_model"] = r.timing_model;
    j["array"] = {{"rows", r.rows}, {"cols", r.cols}};
    j["clock_mhz"] = r.clock_mhz;
    j["peak_tops"] = r.peak_tops;
    j["dram_bandwidth_gbps"] = r.dram_bandwidth_gbps;
    nlohmann::ordered_json t;
    t["macs"] = r.macs;
    if (r.sparsity_mode != "none") {
        t["sparsity"] = sparsity_json(r.sparsity, r.macs);
        t["sparsity"]["mode"] = r.sparsity_mode;
        // Timing-only runs have no values: zero_gate and zero_skip then time dense operands.
        t["sparsity"]["dense_operands_assumed"] = !r.functional;
    }
    if (r.weights.values > 0 || !r.pruning.empty())  // no values in timing-only runs: no density
        t["weights"] = {{"values", r.weights.values},
                        {"nonzero", r.weights.nonzero},
                        {"density", r.weights.values ? nlohmann::ordered_json(r.weights.density()) : nullptr},
                        {"pruning", r.pruning}};
    t["cycles"] = r.cycles;
    t["compute_cycles"] = r.compute_cycles;
    t["stall_cycles"] = r.stall_cycles;
    t["time_ms"] = r.time_ns() / 1e6;
    t["utilization"] = r.utilization();
    t["achieved_tops"] = r.achieved_tops();
    t["inferences_per_second"] = r.inferences_per_second();
    t["dram_read_bytes"] = r.dram_read_bytes;
    t["dram_write_bytes"] = r.dram_write_bytes;
    t["compulsory_dram_bytes"] = r.compulsory_dram_bytes;
    t["memory"] = {{"residency", r.residency},
                   {"tiling_slack", r.tiling_slack},
                   {"onchip_peak_bytes", r.onchip_peak_bytes},
                   {"resident_peak_bytes", r.resident_peak_bytes},
                   {"resident_tensors", r.resident_tensors},
                   {"dram_tensors", r.dram_tensors},
                   {"fused_tensors", r.fused_tensors},
                   {"dram_footprint_bytes", r.compulsory_dram_bytes},
                   {"weight_bytes", r.weight_bytes},
                   {"io_bytes", r.io_bytes},
                   {"onchip_read_bytes", r.onchip_read_bytes},
                   {"onchip_write_bytes", r.onchip_write_bytes}};
    t["dram"] = {{"achieved_gbps", r.dram.achieved_gbps}};
    if (r.dram.banked) {
        t["dram"]["refresh_ns"] = r.dram.refresh_ns;
        t["dram"]["bank_busy"] = {{"max_ns", r.dram.bank_busy_max_ns},
                                  {"mean_ns", r.dram.bank_busy_mean_ns},
                                  {"per_bank_ns", r.dram.bank_busy_ns}};
    }
    t["energy"] = energy_json(r.energy);
    t["tops_per_watt"] = r.tops_per_watt();
    t["area_mm2"] = r.area.total_mm2();
    t["area"] = {{"pe_mm2", r.area.pe_mm2},
                 {"sram_mm2", r.area.sram_mm2},
                 {"vector_mm2", r.area.vector_mm2},
                 {"overhead_mm2", r.area.overhead_mm2}};
    t["instructions"] = r.instructions;
    j["total"] = t;
    if (r.checked) j["check"] = {{"passed", r.check_passed}, {"rule", r.check_rule}};
    for (const LayerResult& l : r.layers) j["layers"].push_back(layer_json(l, r));
    j["provenance"] = provenance_json(r.provenance, r.timing_model);
    if (!r.stats.empty()) j["stats"] = stats_json(r);
    return json_text(j, 2) + "\n";
}

std::string to_csv(const RunResult& r) {
    std::ostringstream out;
    out << "layer,type,n,c,h,w,macs,cycles,compute_cycles,stall_cycles,utilization,dram_read_bytes,"
           "dram_write_bytes,energy_pj,mac_pj,sram_pj,dram_pj,vector_pj,static_pj,mismatches\n";
    for (const LayerResult& l : r.layers) {
        const double sram = l.energy.sram_total_pj();
        const double util = l.utilization(r.rows * r.cols);
        out << fmt::format("{},{},{},{},{},{},{},{},{},{},{:.6f},{},{},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},{}\n",
                           csv_field(l.name), csv_field(l.kind), l.output.n, l.output.c, l.output.h, l.output.w, l.macs,
                           l.cycles, l.compute_cycles, l.stall_cycles, util, l.dram_read_bytes, l.dram_write_bytes,
                           l.energy.total_pj(), l.energy.mac_pj, sram, l.energy.dram_pj, l.energy.vector_pj,
                           l.energy.static_pj, l.checked ? std::to_string(l.mismatches) : "");
    }
    return out.str();
}

std::string to_chrome_trace(const RunResult& r, const TraceRecorder& trace) {
    nlohmann::ordered_json events = nlohmann::ordered_json::array();
    const isa::Queue units[] = {isa::Queue::Load, isa::Queue::Array, isa::Queue::Vector, isa::Queue::Store};
    for (int tid = 0; tid < 4; ++tid)
        events.push_back({{"name", "thread_name"},
                          {"ph", "M"},
                          {"pid", 1},
                          {"tid", tid},
                          {"args", {{"name", isa::queue_name(units[tid])}}}});
    events.push_back({{"name", "process_name"},
                      {"ph", "M"},
                      {"pid", 1},
                      {"args", {{"name", fmt::format("npu {} ({})", r.design, r.workload)}}}});
    auto tid_of = [&](isa::Queue q) {
        for (int t = 0; t < 4; ++t)
            if (units[t] == q) return t;
        return 0;
    };
    const double origin = trace.events().empty() ? 0.0 : trace.events().front().start_ns;
    double first = origin;
    for (const TraceEvent& e : trace.events()) first = std::min(first, e.start_ns);
    std::map<int, std::string> names;  // graph index -> layer name
    for (const LayerResult& l : r.layers) names[l.graph_index] = l.name;
    for (const TraceEvent& e : trace.events()) {
        const std::string& layer = names[e.layer];
        // Chrome trace timestamps are microseconds.
        events.push_back({{"name", layer},
                          {"cat", isa::queue_name(e.unit)},
                          {"ph", "X"},
                          {"pid", 1},
                          {"tid", tid_of(e.unit)},
                          {"ts", (e.start_ns - first) / 1e3},
                          {"dur", (e.end_ns - e.start_ns) / 1e3},
                          {"args", {{"instruction", e.instruction}}}});
    }
    nlohmann::ordered_json j;
    j["traceEvents"] = events;
    j["displayTimeUnit"] = "ns";
    return json_text(j) + "\n";
}

}  // namespace npu

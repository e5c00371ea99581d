#include "arch/energy_model.h"

#include <stdexcept>

namespace npu {

double EnergyBreakdown::total_pj() const {
    double sum = mac_pj + dram_pj + vector_pj + static_pj;
    for (const auto& [name, pj] : sram_pj) sum += pj;
    return sum;
}

const BufferConfig& buffer_config(const NpuConfig& c, const std::string& name) {
    if (name == "unified") return c.unified;
    if (name == "ifmap") return c.ifmap;
    if (name == "weight") return c.weight;
    if (name == "output") return c.output;
    if (name == "accumulator") return c.accumulator;
    throw std::logic_error("unknown buffer " + name);
}

namespace {
double pj_per_byte(const NpuConfig& c, const BufferConfig& b) {
    return c.energy.sram_pj_per_64b_at(double(b.bank_bytes()) / 1024.0) / 8.0;
}
}  // namespace

double leakage_mw(const NpuConfig& c) {
    double kib = 0.0;
    for (const BufferConfig* b : {&c.unified, &c.ifmap, &c.weight, &c.output, &c.accumulator})
        kib += double(b->size_bytes) / 1024.0;
    const double uw = double(c.rows * c.cols) * c.energy.leakage_uw_per_pe + kib * c.energy.leakage_uw_per_kib;
    return uw * c.energy.scale_to_design / 1000.0;
}

EnergyBreakdown energy_of(const NpuConfig& c, Precision p, const ActivityCounts& a) {
    EnergyBreakdown e;
    e.mac_pj = double(a.macs - a.gated_macs) * c.energy.pe_mac_pj(p);
    for (const auto& [name, bytes] : a.sram_read_bytes)
        e.sram_pj[name] += double(bytes) * pj_per_byte(c, buffer_config(c, name));
    for (const auto& [name, bytes] : a.sram_write_bytes)
        e.sram_pj[name] += double(bytes) * pj_per_byte(c, buffer_config(c, name));
    e.sram_pj["accumulator"] += double(a.accumulator_accesses) * 4.0 * pj_per_byte(c, c.accumulator);
    const DramPreset& d = c.dram.preset;
    e.dram_pj = c.dram.model == DramModel::Banked
                    ? double(a.dram_activates) * d.act_pj + double(a.dram_read_bursts) * d.read_pj +
                          double(a.dram_write_bursts) * d.write_pj + double(a.dram_refreshes) * d.refresh_pj
                    : double(a.dram_bytes_moved) * 8.0 * c.dram.energy_pj_per_bit;
    e.vector_pj = double(a.vector_ops) * c.energy.vector_op_pj(p);
    e.static_pj = leakage_mw(c) * a.time_ns;  // mW x ns = pJ
    return e;
}

double EnergyBreakdown::sram_total_pj() const {
    double pj = 0.0;
    for (const auto& [name, value] : sram_pj) pj += value;
    return pj;
}

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& o) {
    mac_pj += o.mac_pj;
    dram_pj += o.dram_pj;
    vector_pj += o.vector_pj;
    static_pj += o.static_pj;
    for (const auto& [name, pj] : o.sram_pj) sram_pj[name] += pj;
    return *this;
}

}  // namespace npu

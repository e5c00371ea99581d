#pragma once
// Energy by component from activity counts (computed at dump time, never on the hot path):
//   MACs x PE energy (arithmetic + register traffic; gated MACs cost none, skipped ones are not
//   MACs; the nm muxes are not priced, see README "Sparsity"), each SRAM's bytes x its per-byte access
//   energy (by bank size), accumulator entries x 4 bytes, DRAM bits moved (whole bursts) x
//   pJ/bit, vector element ops x op energy, and leakage power x time.
#include <cstdint>
#include <map>
#include <string>

#include "arch/npu_config.h"

namespace npu {

struct ActivityCounts {
    int64_t macs = 0;
    int64_t gated_macs = 0;                          // of macs, clock-gated on a zero weight: no MAC energy (zero_gate)
    std::map<std::string, int64_t> sram_read_bytes;  // by buffer name
    std::map<std::string, int64_t> sram_write_bytes;
    int64_t accumulator_accesses = 0;  // entries read + written
    int64_t dram_bytes_moved = 0;      // whole bursts, read + write
    // Banked DRAM: its bursts and commands, priced per operation (dram.preset's energies).
    int64_t dram_read_bursts = 0, dram_write_bursts = 0, dram_activates = 0, dram_refreshes = 0;
    int64_t vector_ops = 0;
    double time_ns = 0.0;
};

struct EnergyBreakdown {
    double mac_pj = 0.0;
    std::map<std::string, double> sram_pj;  // by buffer name, accumulator included
    double dram_pj = 0.0;
    double vector_pj = 0.0;
    double static_pj = 0.0;
    double total_pj() const;
    double sram_total_pj() const;  // every buffer and the accumulator
    EnergyBreakdown& operator+=(const EnergyBreakdown& o);
};

// The BufferConfig of a buffer by its report name ("unified", "ifmap", ..., "accumulator").
const BufferConfig& buffer_config(const NpuConfig& config, const std::string& name);

EnergyBreakdown energy_of(const NpuConfig& config, Precision precision, const ActivityCounts& a);

// Leakage of the whole design (PEs and every SRAM), in milliwatts.
double leakage_mw(const NpuConfig& config);

}  // namespace npu

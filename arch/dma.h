#pragma once
// The DMA engine: a read channel (DRAM -> SRAM loads) and a write channel (SRAM -> DRAM
// stores), each one SystemC thread serving its queue in order. A transfer costs the DRAM's
// answer (bursts, channel contention, latency) or the SRAM port time, whichever is longer. A
// transfer whose DRAM end is an on-chip address (a resident tensor) moves between two places
// on chip instead: one pass through the slower of the two buffers' ports, one read and one
// write counted, no DRAM traffic.
#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include "arch/buffer_set.h"
#include "arch/controller.h"
#include "arch/dram.h"
#include "arch/scoreboard.h"
#include "arch/stats_registry.h"
#include "arch/trace_recorder.h"

namespace npu {

struct DmaStats {
    TaggedCounter& dram_read_bytes;  // useful bytes
    TaggedCounter& dram_write_bytes;
    TaggedCounter& dram_read_bursts;  // what the DRAM actually moved, in bursts
    TaggedCounter& dram_write_bursts;
    // The banked DRAM's commands for the layer's transfers (zero with the simple model).
    TaggedCounter& dram_activates;
    TaggedCounter& dram_row_hits;
    TaggedCounter& dram_row_misses;
    TaggedCounter& dram_row_conflicts;
    TaggedCounter& dram_refreshes;
    TaggedCounter& packed_weight_bytes;  // of dram_read_bytes: N:M-compressed weights and metadata
    // Moves between a resident tensor's on-chip place and a tile slot (no DRAM traffic).
    TaggedCounter& onchip_read_bytes;
    TaggedCounter& onchip_write_bytes;
};

class Dma : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<Dma> socket;

    SC_HAS_PROCESS(Dma);
    Dma(sc_core::sc_module_name name, Controller& controller, Scoreboard& scoreboard, const BufferSet& buffers,
        double cycle_ns, StatsRegistry& stats, TraceRecorder* trace);

private:
    void load_thread();
    void store_thread();
    void serve(sc_core::sc_fifo<int32_t>& queue, tlm::tlm_generic_payload& payload, bool is_load);
    // Times a transfer through the DRAM target and moves its bytes; returns its ns.
    double move_dram(const isa::Transfer& t, bool is_load, int32_t layer, tlm::tlm_generic_payload& payload,
                     DramBoxExtension& extension);
    // Moves one transfer's bytes between the DRAM array and the buffer (functional runs).
    void copy(const isa::Transfer& t, bool is_load, int32_t layer);
    // Times and moves a transfer between a resident tensor and a tile slot; returns its ns.
    double move_onchip(const isa::Transfer& t, bool is_load, int32_t layer);
    // Functional runs: the DRAM mirror of what a store put on chip.
    void mirror(const isa::Transfer& t, int32_t layer);
    uint8_t* dram_pointer(uint64_t address);

    Controller& m_controller;
    Scoreboard& m_scoreboard;
    BufferSet m_buffers;
    double m_cycle_ns;
    TraceRecorder* m_trace;
    DmaStats m_stats;
    // One payload per thread, owned here: the threads never return (SystemC does not unwind
    // them at the end of a run), so a payload on their stack would never be freed.
    tlm::tlm_generic_payload m_load_payload, m_store_payload;
};

}  // namespace npu

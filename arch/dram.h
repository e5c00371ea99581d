#pragma once
// Off-chip DRAM as a TLM-2.0 target. Timing: each transfer is a set of contiguous runs, each run
// a sequence of bursts; bursts interleave over the channels by address; every channel serves
// its bursts at bandwidth / channels, one transfer after another (so concurrent loads and
// stores contend); a transfer completes `latency_ns` after its last burst. With dram.model
// banked, BankedDramTiming times the bursts instead (banks, rows, JEDEC timings, refresh), and
// the DMA sees the answer at the next NPU clock edge (the controller's clock crossing).
// Functional runs keep the bytes in a host array reached through DMI.
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <memory>
#include <vector>

#include "arch/dram_timing.h"
#include "arch/isa.h"

namespace npu {

// Attached to a transaction: the box being moved, and the bursts it cost (set by the target).
struct DramBoxExtension : tlm::tlm_extension<DramBoxExtension> {
    const isa::DramBox* box = nullptr;
    int64_t bursts = 0;
    DramCounts banked;  // the banked model's commands for this transfer (refreshes it waited for included)

    tlm::tlm_extension_base* clone() const override { return new DramBoxExtension(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override {
        *this = static_cast<const DramBoxExtension&>(other);
    }
};

class Dram : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Dram> socket;

    // `cycle_ns`: the NPU's clock, on whose edges a banked DRAM's answers arrive.
    Dram(sc_core::sc_module_name name, const struct DramConfig& config, bool functional, double cycle_ns);

    // Grows the functional backing store to at least `bytes`, keeping what it holds (tensors
    // persist across programs; no-op in timing-only runs), and idles every channel.
    void prepare(uint64_t bytes);
    uint8_t* backing() { return m_storage.empty() ? nullptr : m_storage.data(); }
    uint64_t size() const { return m_storage.size(); }
    // dram.model banked: its timing state (bank busy times, command counts); else nullptr.
    const BankedDramTiming* banked() const { return m_banked.get(); }

private:
    void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
    double banked_transport(const isa::DramBox& box, bool write, double now_ns, DramBoxExtension& ext);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& payload, tlm::tlm_dmi& dmi);

    double m_burst_ns;  // one burst on one channel
    double m_latency_ns;
    int64_t m_burst_bytes;
    bool m_functional;
    std::vector<double> m_channel_free_ns;  // when each channel finishes its queued bursts
    std::vector<int64_t> m_channel_bursts;  // scratch: bursts per channel of one transfer
    std::vector<uint8_t> m_storage;
    std::unique_ptr<BankedDramTiming> m_banked;  // dram.model banked
    sc_core::sc_time m_origin;                   // banked: when the program started
    double m_cycle_ps = 1000.0;
};

}  // namespace npu

#include "arch/dram.h"

#include <algorithm>
#include <cmath>

#include "arch/dram_box.h"
#include "arch/npu_config.h"

namespace npu {

Dram::Dram(sc_core::sc_module_name name, const DramConfig& config, bool functional, double cycle_ns)
    : sc_module(name),
      socket("socket"),
      // GB/s is bytes per ns; each channel carries bandwidth / channels.
      m_burst_ns(double(config.burst_bytes) * double(config.channels) / config.bandwidth_gbps),
      m_latency_ns(config.latency_ns),
      m_burst_bytes(config.burst_bytes),
      m_functional(functional),
      m_channel_free_ns(size_t(config.channels), 0.0),
      m_channel_bursts(size_t(config.channels), 0),
      m_cycle_ps(cycle_ns * 1000.0) {
    if (config.model == DramModel::Banked)
        m_banked =
            std::make_unique<BankedDramTiming>(config.preset, config.channels, config.page_policy, config.queue_depth);
    socket.register_b_transport(this, &Dram::b_transport);
    socket.register_get_direct_mem_ptr(this, &Dram::get_direct_mem_ptr);
}

void Dram::prepare(uint64_t bytes) {
    if (m_functional && m_storage.size() < bytes) m_storage.resize(bytes, 0);
    std::fill(m_channel_free_ns.begin(), m_channel_free_ns.end(), 0.0);
    if (m_banked) {
        m_banked->reset();
        m_origin = sc_core::sc_time_stamp();
    }
}

double Dram::banked_transport(const isa::DramBox& box, bool write, double now_ns, DramBoxExtension& ext) {
    const DramCounts before = m_banked->counts();
    for_each_run(box, [&](uint64_t address, int64_t, int64_t bytes) { m_banked->add(address, bytes, write); });
    const double done_ns = m_banked->serve(now_ns);
    ext.banked = m_banked->counts() - before;
    ext.bursts = ext.banked.reads + ext.banked.writes;
    return done_ns;
}

void Dram::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
    DramBoxExtension* ext = nullptr;
    payload.get_extension(ext);
    if (!ext || !ext->box) {
        payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    if (m_banked) {
        // In whole picoseconds since the program started: the same program, the same times, at
        // any point of a simulation's time line.
        const sc_core::sc_time now = sc_core::sc_time_stamp() + delay - m_origin;
        const double now_ps = double(now.value()) * sc_core::sc_get_time_resolution().to_seconds() * 1e12;
        const bool write = payload.get_command() == tlm::TLM_WRITE_COMMAND;
        const double done_ps = banked_transport(*ext->box, write, now_ps / 1000.0, *ext) * 1000.0;
        const double edge_ps = std::ceil(done_ps / m_cycle_ps - 1e-9) * m_cycle_ps;
        delay += sc_core::sc_time(std::max(0.0, edge_ps - now_ps), sc_core::SC_PS);
        payload.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    const double now_ns = (sc_core::sc_time_stamp() + delay).to_seconds() * 1e9;
    const int64_t channels = int64_t(m_channel_bursts.size());
    std::fill(m_channel_bursts.begin(), m_channel_bursts.end(), 0);
    int64_t bursts = 0;
    for_each_run(*ext->box, [&](uint64_t address, int64_t, int64_t bytes) {
        const int64_t first = int64_t(address) / m_burst_bytes;
        const int64_t last = (int64_t(address) + bytes - 1) / m_burst_bytes;
        const int64_t count = last - first + 1;
        bursts += count;
        // Burst b goes to channel b mod channels.
        for (int64_t c = 0; c < channels; ++c) m_channel_bursts[size_t(c)] += count / channels;
        for (int64_t r = 0; r < count % channels; ++r) ++m_channel_bursts[size_t((first + r) % channels)];
    });
    double done_ns = now_ns;
    for (size_t c = 0; c < m_channel_bursts.size(); ++c) {
        if (m_channel_bursts[c] == 0) continue;
        const double start = std::max(now_ns, m_channel_free_ns[c]);
        m_channel_free_ns[c] = start + double(m_channel_bursts[c]) * m_burst_ns;
        done_ns = std::max(done_ns, m_channel_free_ns[c]);
    }
    ext->bursts = bursts;
    delay += sc_core::sc_time(done_ns + m_latency_ns - now_ns, sc_core::SC_NS);
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool Dram::get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
    if (m_storage.empty()) return false;
    dmi.allow_read_write();
    dmi.set_dmi_ptr(m_storage.data());
    dmi.set_start_address(0);
    dmi.set_end_address(m_storage.size() - 1);
    return true;
}

}  // namespace npu

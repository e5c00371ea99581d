#include "arch/dma.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "arch/dram_box.h"

namespace npu {

Dma::Dma(sc_core::sc_module_name name, Controller& controller, Scoreboard& scoreboard, const BufferSet& buffers,
         double cycle_ns, StatsRegistry& stats, TraceRecorder* trace)
    : sc_module(name),
      socket("socket"),
      m_controller(controller),
      m_scoreboard(scoreboard),
      m_buffers(buffers),
      m_cycle_ns(cycle_ns),
      m_trace(trace),
      m_stats{
          stats.add(std::string(this->name()) + ".dram_read_bytes", "bytes", "bytes loaded from DRAM"),
          stats.add(std::string(this->name()) + ".dram_write_bytes", "bytes", "bytes stored to DRAM"),
          stats.add(std::string(this->name()) + ".dram_read_bursts", "bursts", "DRAM bursts read"),
          stats.add(std::string(this->name()) + ".dram_write_bursts", "bursts", "DRAM bursts written"),
          stats.add(std::string(this->name()) + ".dram_activates", "commands", "banked DRAM: row activations"),
          stats.add(std::string(this->name()) + ".dram_row_hits", "bursts", "banked DRAM: bursts to an open row"),
          stats.add(std::string(this->name()) + ".dram_row_misses", "bursts", "banked DRAM: bursts to a closed bank"),
          stats.add(std::string(this->name()) + ".dram_row_conflicts", "bursts",
                    "banked DRAM: bursts that closed another open row"),
          stats.add(std::string(this->name()) + ".dram_refreshes", "commands",
                    "banked DRAM: all-bank refreshes of a rank while the layer's transfers waited"),
          stats.add(std::string(this->name()) + ".packed_weight_bytes", "bytes",
                    "of dram_read_bytes, N:M-compressed weights with their metadata (nm arrays)"),
          stats.add(std::string(this->name()) + ".onchip_read_bytes", "bytes",
                    "bytes loaded from resident tensors on chip instead of DRAM"),
          stats.add(std::string(this->name()) + ".onchip_write_bytes", "bytes",
                    "bytes stored to resident tensors on chip instead of DRAM")} {
    SC_THREAD(load_thread);
    SC_THREAD(store_thread);
}

void Dma::load_thread() { serve(m_controller.load_queue, m_load_payload, true); }
void Dma::store_thread() { serve(m_controller.store_queue, m_store_payload, false); }

void Dma::serve(sc_core::sc_fifo<int32_t>& queue, tlm::tlm_generic_payload& payload, bool is_load) {
    auto* extension = new DramBoxExtension;  // owned and freed by the payload
    payload.set_extension(extension);
    for (;;) {
        const int32_t index = queue.read();
        m_scoreboard.wait_for_dependencies(index);
        const isa::Instruction& instruction = m_scoreboard.program().instructions[size_t(index)];
        const isa::Transfer& t = instruction.transfer();
        const double start_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
        const int32_t layer = instruction.layer;
        const double busy_ns = isa::is_onchip(t.dram.base) ? move_onchip(t, is_load, layer)
                                                           : move_dram(t, is_load, layer, payload, *extension);
        if (m_trace)
            m_trace->record(
                {is_load ? isa::Queue::Load : isa::Queue::Store, layer, index, start_ns, start_ns + busy_ns});
        m_scoreboard.complete(index);
    }
}

double Dma::move_dram(const isa::Transfer& t, bool is_load, int32_t layer, tlm::tlm_generic_payload& payload,
                      DramBoxExtension& extension) {
    const isa::DramBox& moved = t.moved();
    extension.box = &moved;
    payload.set_command(is_load ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
    payload.set_address(moved.base);
    payload.set_data_length(unsigned(moved.bytes()));
    payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time dram_delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(payload, dram_delay);
    // The buffer's port limits how fast the bytes can enter or leave the SRAM.
    const Scratchpad& buffer = m_buffers.at(t.sram.buffer);
    const double port_ns = std::ceil(double(moved.bytes()) / double(buffer.config().bytes_per_cycle)) * m_cycle_ns;
    const double busy_ns = std::max(dram_delay.to_seconds() * 1e9, port_ns);
    sc_core::wait(sc_core::sc_time(busy_ns, sc_core::SC_NS));

    copy(t, is_load, layer);
    (is_load ? m_stats.dram_read_bytes : m_stats.dram_write_bytes).add(layer, moved.bytes());
    if (t.is_packed()) m_stats.packed_weight_bytes.add(layer, moved.bytes());
    (is_load ? m_stats.dram_read_bursts : m_stats.dram_write_bursts).add(layer, extension.bursts);
    const DramCounts& b = extension.banked;
    m_stats.dram_activates.add(layer, b.activates);
    m_stats.dram_row_hits.add(layer, b.row_hits);
    m_stats.dram_row_misses.add(layer, b.row_misses);
    m_stats.dram_row_conflicts.add(layer, b.row_conflicts);
    m_stats.dram_refreshes.add(layer, b.refreshes);
    return busy_ns;
}

double Dma::move_onchip(const isa::Transfer& t, bool is_load, int32_t layer) {
    Scratchpad& resident = m_buffers.at(isa::onchip_buffer(t.dram.base));
    Scratchpad& slot = m_buffers.at(t.sram.buffer);
    const int64_t bytes = t.dram.bytes();
    const int64_t port = std::min(resident.config().bytes_per_cycle, slot.config().bytes_per_cycle);
    const double busy_ns = std::ceil(double(bytes) / double(port)) * m_cycle_ns;
    sc_core::wait(sc_core::sc_time(busy_ns, sc_core::SC_NS));
    if (is_load) {
        resident.count_read(layer, bytes);
        slot.count_write(layer, bytes);
        m_stats.onchip_read_bytes.add(layer, bytes);
    } else {
        slot.count_read(layer, bytes);
        resident.count_write(layer, bytes);
        m_stats.onchip_write_bytes.add(layer, bytes);
    }
    uint8_t* sram = slot.data(t.sram.offset, bytes);
    if (!sram) return busy_ns;  // timing-only
    for_each_run(t.dram, [&](uint64_t address, int64_t offset, int64_t run) {
        uint8_t* place = resident.data(isa::onchip_offset(address), run);
        if (is_load)
            std::memcpy(sram + offset, place, size_t(run));
        else
            std::memcpy(place, sram + offset, size_t(run));
    });
    if (!is_load) mirror(t, layer);
    return busy_ns;
}

void Dma::mirror(const isa::Transfer& t, int32_t layer) {
    const std::vector<isa::ResidentTensor>& resident = m_scoreboard.program().resident;
    const auto it = std::lower_bound(resident.begin(), resident.end(), layer,
                                     [](const isa::ResidentTensor& r, int32_t l) { return r.layer < l; });
    if (it == resident.end() || it->layer != layer)
        throw std::logic_error(fmt::format("DMA: layer {} stores on chip but keeps no resident tensor", layer));
    uint8_t* dram = dram_pointer(it->dram_address);
    const uint8_t* sram = m_buffers.at(t.sram.buffer).data(t.sram.offset, t.dram.bytes());
    if (!dram) return;
    for_each_run(t.dram, [&](uint64_t address, int64_t offset, int64_t run) {
        std::memcpy(dram + it->dram_address + (address - it->onchip_address), sram + offset, size_t(run));
    });
}

uint8_t* Dma::dram_pointer(uint64_t address) {
    tlm::tlm_generic_payload request;
    tlm::tlm_dmi dmi;
    request.set_address(address);
    return socket->get_direct_mem_ptr(request, dmi) ? dmi.get_dmi_ptr() : nullptr;
}

void Dma::copy(const isa::Transfer& t, bool is_load, int32_t layer) {
    Scratchpad& buffer = m_buffers.at(t.sram.buffer);
    // The SRAM holds what moved (packed weights stay packed there); the array unpacks them.
    if (is_load)
        buffer.count_write(layer, t.moved().bytes());
    else
        buffer.count_read(layer, t.moved().bytes());
    uint8_t* sram = buffer.data(t.sram.offset, t.dram.bytes());
    if (!sram) return;  // timing-only
    uint8_t* dram = dram_pointer(t.dram.base);
    if (!dram) return;
    for_each_run(t.dram, [&](uint64_t address, int64_t offset, int64_t bytes) {
        if (is_load)
            std::memcpy(sram + offset, dram + address, size_t(bytes));
        else
            std::memcpy(dram + address, sram + offset, size_t(bytes));
    });
}

}  // namespace npu

#pragma once
// The port between the cores' DMA engines and the DRAM: every core's initiator socket binds to
// one of its target sockets, and it forwards transactions and DMI requests to the DRAM. It adds
// no time of its own: a shared DRAM's channels already serialize what the cores ask of them.
// The interconnect of multi-core and multi-chip systems (links with bandwidth, latency and
// contention) takes its place when cores talk to each other.
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

namespace npu {

class MemoryPort : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<MemoryPort> cores;
    tlm_utils::simple_initiator_socket<MemoryPort> memory;

    explicit MemoryPort(sc_core::sc_module_name name) : sc_module(name), cores("cores"), memory("memory") {
        cores.register_b_transport(this, &MemoryPort::b_transport);
        cores.register_get_direct_mem_ptr(this, &MemoryPort::get_direct_mem_ptr);
    }

private:
    void b_transport(int, tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
        memory->b_transport(payload, delay);
    }
    bool get_direct_mem_ptr(int, tlm::tlm_generic_payload& payload, tlm::tlm_dmi& dmi) {
        return memory->get_direct_mem_ptr(payload, dmi);
    }
};

}  // namespace npu

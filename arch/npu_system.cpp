#include "arch/npu_system.h"

#include <fmt/format.h>

#include <stdexcept>

namespace npu {

NpuSystem::NpuSystem(sc_core::sc_module_name name, const NpuConfig& config, int cores, Fidelity fidelity,
                     bool functional, StatsRegistry& stats, TraceRecorder* trace)
    : sc_module(name), m_stats(stats), port("memory_port"), dram("dram", config.dram, functional, config.cycle_ns()) {
    if (cores < 1) throw std::logic_error("an NPU system needs at least one core");
    for (int i = 0; i < cores; ++i) {
        m_cores.push_back(
            std::make_unique<NpuCore>(fmt::format("core{}", i).c_str(), config, fidelity, functional, stats, trace));
        m_cores.back()->dma.socket.bind(port.cores);
    }
    port.memory.bind(dram.socket);
}

void NpuSystem::start(const isa::Program& program, int core_index) {
    m_stats.reset(size_t(program.layers));
    dram.prepare(program.dram_bytes);
    core(core_index).start(program);
}

void NpuSystem::start_streamed(isa::Program& program, std::function<void()> feed, int core_index) {
    m_stats.reset(size_t(program.layers));
    dram.prepare(program.dram_bytes);
    core(core_index).controller.start_streamed(program, std::move(feed));
}

}  // namespace npu

#include "arch/npu_core.h"

namespace npu {

std::unique_ptr<Scratchpad> NpuCore::make_buffer(const char* name, const BufferConfig& c, bool functional,
                                                 StatsRegistry& stats) {
    return c.present() ? std::make_unique<Scratchpad>(name, c, functional, stats) : nullptr;
}

NpuCore::NpuCore(sc_core::sc_module_name name, const NpuConfig& config, Fidelity fidelity, bool functional,
                 StatsRegistry& stats, TraceRecorder* trace)
    : sc_module(name),
      m_config(config),
      m_stats(stats),
      m_unified(make_buffer("unified_buffer", config.unified, functional, stats)),
      m_ifmap(make_buffer("ifmap_buffer", config.ifmap, functional, stats)),
      m_weight(make_buffer("weight_buffer", config.weight, functional, stats)),
      m_output(make_buffer("output_buffer", config.output, functional, stats)),
      accumulator("accumulator", config.accumulator, functional, stats),
      controller("controller", scoreboard, int(config.queue_depth)),
      m_buffers{m_unified.get(), m_ifmap.get(), m_weight.get(), m_output.get(), &accumulator},
      dma("dma", controller, scoreboard, m_buffers, config.cycle_ns(), stats, trace),
      array("systolic_array", config, fidelity, controller, scoreboard, m_buffers, stats, trace),
      vector("vector_unit", config, controller, scoreboard, m_buffers, stats, trace) {}

void NpuCore::start(const isa::Program& program) { controller.start(program); }

}  // namespace npu

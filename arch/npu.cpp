#include "arch/npu.h"

namespace npu {

std::unique_ptr<Scratchpad> Npu::make_buffer(const char* name, const BufferConfig& c, bool functional) {
    return c.present() ? std::make_unique<Scratchpad>(name, c, functional) : nullptr;
}

Npu::Npu(sc_core::sc_module_name name, const NpuConfig& config, Precision precision, Fidelity fidelity, bool functional,
         TraceRecorder* trace)
    : sc_module(name),
      m_config(config),
      m_unified(make_buffer("unified_buffer", config.unified, functional)),
      m_ifmap(make_buffer("ifmap_buffer", config.ifmap, functional)),
      m_weight(make_buffer("weight_buffer", config.weight, functional)),
      m_output(make_buffer("output_buffer", config.output, functional)),
      accumulator("accumulator", config.accumulator, functional),
      controller("controller", scoreboard),
      dram("dram", config.dram, functional),
      m_buffers{m_unified.get(), m_ifmap.get(), m_weight.get(), m_output.get(), &accumulator},
      dma("dma", controller, scoreboard, m_buffers, config.cycle_ns(), trace),
      array("systolic_array", config, precision, fidelity, controller, scoreboard, m_buffers, trace),
      vector("vector_unit", config, precision, controller, scoreboard, m_buffers, trace) {
    dma.socket.bind(dram.socket);
}

void Npu::start(const isa::Program& program) {
    const size_t layers = size_t(program.layers);
    for (Scratchpad* b : {m_unified.get(), m_ifmap.get(), m_weight.get(), m_output.get()})
        if (b) b->reset_stats(layers);
    accumulator.reset_stats(layers);
    dma.reset_stats(layers);
    array.reset_stats(layers);
    vector.reset_stats(layers);
    dram.reset(program.dram_bytes);
    controller.start(program);
}

}  // namespace npu

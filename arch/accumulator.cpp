#include "arch/accumulator.h"

#include <fmt/format.h>

#include <stdexcept>

namespace npu {

Accumulator::Accumulator(sc_core::sc_module_name name, const BufferConfig& config, bool functional,
                         StatsRegistry& stats)
    : sc_module(name),
      m_config(config),
      m_functional(functional),
      m_reads(stats.add(std::string(this->name()) + ".reads", "entries", "partial sums read")),
      m_writes(stats.add(std::string(this->name()) + ".writes", "entries", "partial sums written")) {}

void Accumulator::check(int64_t offset, int64_t count) const {
    if (offset < 0 || count < 0 || offset + count > entries())
        throw std::logic_error(
            fmt::format("{}: entries [{}, {}) outside {}", name(), offset, offset + count, entries()));
}

int32_t* Accumulator::int32(int64_t offset, int64_t count) {
    check(offset, count);
    if (!m_functional) return nullptr;
    if (m_int32.empty()) m_int32.assign(size_t(entries()), 0);
    return m_int32.data() + offset;
}

float* Accumulator::fp32(int64_t offset, int64_t count) {
    check(offset, count);
    if (!m_functional) return nullptr;
    if (m_fp32.empty()) m_fp32.assign(size_t(entries()), 0.0f);
    return m_fp32.data() + offset;
}

}  // namespace npu

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
    if (m_words.empty()) m_words.assign(size_t(entries()), 0);
    return reinterpret_cast<int32_t*>(m_words.data()) + offset;
}

float* Accumulator::fp32(int64_t offset, int64_t count) {
    check(offset, count);
    if (!m_functional) return nullptr;
    if (m_words.empty()) m_words.assign(size_t(entries()), 0);
    return reinterpret_cast<float*>(m_words.data()) + offset;
}

}  // namespace npu

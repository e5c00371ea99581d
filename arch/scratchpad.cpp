#include "arch/scratchpad.h"

#include <fmt/format.h>

#include <cstring>
#include <stdexcept>

namespace npu {

Scratchpad::Scratchpad(sc_core::sc_module_name name, const BufferConfig& config, bool functional, StatsRegistry& stats)
    : sc_module(name),
      m_config(config),
      m_read_bytes(stats.add(std::string(this->name()) + ".read_bytes", "bytes", "bytes read")),
      m_write_bytes(stats.add(std::string(this->name()) + ".write_bytes", "bytes", "bytes written")) {
    if (functional) m_storage.assign(size_t(config.size_bytes), 0);
}

void Scratchpad::check(int64_t offset, int64_t bytes) const {
    // A program that leaves the buffer is a compiler bug, not a user error.
    if (offset < 0 || bytes < 0 || offset + bytes > m_config.size_bytes)
        throw std::logic_error(
            fmt::format("{}: access [{}, {}) outside {} bytes", name(), offset, offset + bytes, m_config.size_bytes));
}

uint8_t* Scratchpad::data(int64_t offset, int64_t bytes) {
    check(offset, bytes);
    return m_storage.empty() ? nullptr : m_storage.data() + offset;
}

}  // namespace npu

#include "arch/scratchpad.h"

#include <fmt/format.h>

#include <cstring>
#include <stdexcept>

namespace npu {

Scratchpad::Scratchpad(sc_core::sc_module_name name, const BufferConfig& config, bool functional)
    : sc_module(name), m_config(config) {
    if (functional) m_storage.assign(size_t(config.size_bytes), 0);
}

void Scratchpad::check(int64_t offset, int64_t bytes) const {
    // A program that leaves the buffer is a compiler bug, not a user error.
    if (offset < 0 || bytes < 0 || offset + bytes > m_config.size_bytes)
        throw std::logic_error(
            fmt::format("{}: access [{}, {}) outside {} bytes", name(), offset, offset + bytes, m_config.size_bytes));
}

void Scratchpad::write(int64_t offset, const uint8_t* src, int64_t bytes, int32_t layer) {
    check(offset, bytes);
    if (!m_storage.empty()) std::memcpy(m_storage.data() + offset, src, size_t(bytes));
    m_write_bytes.add(layer, bytes);
}

void Scratchpad::read(int64_t offset, uint8_t* dst, int64_t bytes, int32_t layer) {
    check(offset, bytes);
    if (!m_storage.empty()) std::memcpy(dst, m_storage.data() + offset, size_t(bytes));
    m_read_bytes.add(layer, bytes);
}

uint8_t* Scratchpad::data(int64_t offset, int64_t bytes) {
    check(offset, bytes);
    return m_storage.empty() ? nullptr : m_storage.data() + offset;
}

void Scratchpad::reset_stats(size_t layers) {
    m_read_bytes.reset(layers);
    m_write_bytes.reset(layers);
}

}  // namespace npu

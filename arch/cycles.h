#pragma once
// A strong type for clock cycles inside arch/: cycles never mix silently with bytes or counts.
#include <cstdint>

namespace npu {

class Cycles {
public:
    constexpr Cycles() = default;
    constexpr explicit Cycles(int64_t count) : m_count(count) {}
    constexpr int64_t count() const { return m_count; }

    constexpr Cycles operator+(Cycles o) const { return Cycles(m_count + o.m_count); }
    constexpr Cycles operator-(Cycles o) const { return Cycles(m_count - o.m_count); }
    constexpr Cycles operator*(int64_t k) const { return Cycles(m_count * k); }
    Cycles& operator+=(Cycles o) {
        m_count += o.m_count;
        return *this;
    }
    constexpr bool operator==(Cycles o) const { return m_count == o.m_count; }
    constexpr bool operator!=(Cycles o) const { return m_count != o.m_count; }
    constexpr bool operator<(Cycles o) const { return m_count < o.m_count; }
    constexpr bool operator>(Cycles o) const { return m_count > o.m_count; }
    constexpr bool operator<=(Cycles o) const { return m_count <= o.m_count; }
    constexpr bool operator>=(Cycles o) const { return m_count >= o.m_count; }

private:
    int64_t m_count = 0;
};

constexpr Cycles max(Cycles a, Cycles b) { return a < b ? b : a; }

}  // namespace npu

#pragma once
// Cycles <-> nanoseconds, in one place: every module, report and tool converts through a Clock,
// so a rounding rule never differs between two of them.
#include <cmath>
#include <cstdint>

namespace npu {

struct Clock {
    double mhz = 0.0;

    double cycle_ns() const { return 1000.0 / mhz; }
    // The time of `cycles` whole cycles.
    double ns(int64_t cycles) const { return double(cycles) * 1000.0 / mhz; }
    // The nearest whole number of cycles in an interval (intervals in the model are whole
    // cycles up to floating-point error).
    int64_t cycles(double interval_ns) const { return std::llround(interval_ns / cycle_ns()); }
};

}  // namespace npu

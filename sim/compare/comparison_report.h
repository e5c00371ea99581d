#pragma once
// DeviceComparison as a terminal table, CSV (one row per matched layer, then the total), JSON,
// and one self-contained HTML page (the table, per-layer time and energy bars, and each device's
// roofline with every layer placed on it).
#include <string>

#include "sim/compare/device_comparison.h"

namespace npu {

struct ComparisonTitle {
    std::string workload, npu_source, gpu_source;  // what was simulated and measured, in words
    int64_t batch = 1;
};

std::string comparison_table(const DeviceComparison& c, const ComparisonTitle& title);
std::string comparison_csv(const DeviceComparison& c);
std::string comparison_json(const DeviceComparison& c, const ComparisonTitle& title);
std::string comparison_html(const DeviceComparison& c, const ComparisonTitle& title);

}  // namespace npu

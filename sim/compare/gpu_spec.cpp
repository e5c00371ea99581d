#include "sim/compare/gpu_spec.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/yaml_reader.h"

namespace npu {

double GpuSpec::peak_ops_per_s(Precision p) const {
    const auto it = peak_tflops.find(p);
    if (it == peak_tflops.end())
        throw ConfigError(fmt::format("{}: peak_tflops: no {} peak", source, precision_name(p)));
    return it->second * 1e12;
}

GpuSpec load_gpu_spec(const std::string& path) {
    const YamlMap y = YamlMap::load_file(path, YamlErrorKind::Config);
    GpuSpec s;
    s.source = path;
    s.name = y.get_string("name");
    s.description = y.get_string("description");
    const YamlMap peaks = y.child("peak_tflops");
    for (const std::string& key : peaks.keys()) {
        Precision p;
        if (!parse_precision(key, p)) peaks.fail(key, "not a precision (int8, fp16, bf16, fp32)");
        const double v = peaks.get_double(key);
        if (!(v > 0.0)) peaks.fail(key, fmt::format("must be > 0, got {}", v));
        s.peak_tflops[p] = v;
    }
    if (s.peak_tflops.empty()) y.fail("peak_tflops", "lists no precision");
    s.memory_gbps = y.get_double("memory_gbps");
    if (!(s.memory_gbps > 0.0)) y.fail("memory_gbps", fmt::format("must be > 0, got {}", s.memory_gbps));
    s.tdp_w = y.get_double("tdp_w");
    if (!(s.tdp_w > 0.0)) y.fail("tdp_w", fmt::format("must be > 0, got {}", s.tdp_w));
    y.finish();
    return s;
}

}  // namespace npu

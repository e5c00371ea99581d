#include "sim/compare/gpu_measurement.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "common/error.h"
#include "common/file_text.h"

namespace npu {
namespace {

const std::vector<std::string> kColumns = {"idx",    "kind", "input", "out",    "kernel",    "stride", "pad",
                                           "groups", "macs", "ms",    "tflops", "energy_uj", "avg_w"};

// One CSV line's fields; a field in double quotes may hold commas ("(1, 64, 56, 56)").
std::vector<std::string> split_fields(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (char ch : line) {
        if (ch == '"')
            quoted = !quoted;
        else if (ch == ',' && !quoted)
            fields.emplace_back();
        else if (ch != '\r')
            fields.back() += ch;
    }
    return fields;
}

// Reads the fields of one row, naming file, line and column in every error.
class RowReader {
public:
    RowReader(const std::string& source, int line, std::vector<std::string> fields)
        : m_source(source), m_line(line), m_fields(std::move(fields)) {}

    [[noreturn]] void fail(size_t column, const std::string& message) const {
        throw WorkloadError(fmt::format("{}:{}: column '{}': {}", m_source, m_line, kColumns[column], message));
    }
    const std::string& text(size_t column) const { return m_fields[column]; }
    double real(size_t column, bool positive) const {
        const std::string& s = m_fields[column];
        char* end = nullptr;
        errno = 0;
        const double v = std::strtod(s.c_str(), &end);
        if (s.empty() || *end != '\0' || errno != 0 || !std::isfinite(v))
            fail(column, fmt::format("'{}' is not a number", s));
        if (positive ? v <= 0.0 : v < 0.0) fail(column, fmt::format("{} must be {}", s, positive ? "> 0" : ">= 0"));
        return v;
    }
    int64_t integer(size_t column, int64_t least) const {
        const std::string& s = m_fields[column];
        char* end = nullptr;
        errno = 0;
        const long long v = std::strtoll(s.c_str(), &end, 10);
        if (s.empty() || *end != '\0' || errno != 0) fail(column, fmt::format("'{}' is not an integer", s));
        if (v < least) fail(column, fmt::format("{} must be >= {}", s, least));
        return int64_t(v);
    }
    // "(a, b, ...)" with `count` integers >= least.
    std::vector<int64_t> tuple(size_t column, size_t count, int64_t least) const {
        const std::string& s = m_fields[column];
        if (s.size() < 2 || s.front() != '(' || s.back() != ')')
            fail(column, fmt::format("'{}' is not a tuple like (1, 2)", s));
        std::vector<int64_t> values;
        std::stringstream in(s.substr(1, s.size() - 2));
        for (std::string item; std::getline(in, item, ',');) {
            char* end = nullptr;
            const long long v = std::strtoll(item.c_str(), &end, 10);
            while (*end == ' ') ++end;
            if (item.find_first_not_of(' ') == std::string::npos || *end != '\0' || v < least)
                fail(column, fmt::format("'{}' must hold integers >= {}", s, least));
            values.push_back(int64_t(v));
        }
        if (values.size() != count) fail(column, fmt::format("'{}' must hold {} values", s, count));
        return values;
    }

private:
    const std::string& m_source;
    int m_line;
    std::vector<std::string> m_fields;
};

GpuLayerMeasurement read_row(const RowReader& row) {
    GpuLayerMeasurement m;
    m.index = row.integer(0, 0);
    LayerShapeKey& k = m.shape;
    k.kind = row.text(1);
    if (k.kind != "conv" && k.kind != "fc") row.fail(1, fmt::format("'{}' is not conv or fc", k.kind));
    const bool conv = k.kind == "conv";
    k.input = row.tuple(2, conv ? 4 : 2, 1);
    k.out = row.integer(3, 1);
    if (conv) {
        const std::vector<int64_t> kernel = row.tuple(4, 2, 1), stride = row.tuple(5, 2, 1), pad = row.tuple(6, 2, 0);
        k.kernel_h = kernel[0], k.kernel_w = kernel[1];
        k.stride_h = stride[0], k.stride_w = stride[1];
        k.pad_h = pad[0], k.pad_w = pad[1];
    } else {
        for (size_t c : {4, 5, 6})
            if (row.text(c) != "None") row.fail(c, fmt::format("'{}': an fc row has None here", row.text(c)));
    }
    k.groups = row.integer(7, 1);
    m.macs = row.integer(8, 1);
    m.ms = row.real(9, true);
    m.energy_uj = row.real(11, false);
    m.avg_w = row.real(12, false);
    return m;
}

}  // namespace

bool LayerShapeKey::operator==(const LayerShapeKey& o) const {
    return kind == o.kind && input == o.input && out == o.out && kernel_h == o.kernel_h && kernel_w == o.kernel_w &&
           stride_h == o.stride_h && stride_w == o.stride_w && pad_h == o.pad_h && pad_w == o.pad_w &&
           groups == o.groups;
}

std::string LayerShapeKey::text() const {
    std::string in;
    for (size_t i = 0; i < input.size(); ++i) in += (i ? "x" : "") + std::to_string(input[i]);
    if (kind == "fc") return fmt::format("fc {} -> {}", in, out);
    return fmt::format("conv {} -> {}, {}x{} /{} pad {}{}", in, out, kernel_h, kernel_w, stride_h, pad_h,
                       groups > 1 ? fmt::format(" groups {}", groups) : "");
}

double GpuMeasurement::total_ms() const {
    double sum = 0.0;
    for (const GpuLayerMeasurement& l : layers) sum += l.ms;
    return sum;
}

double GpuMeasurement::total_energy_uj() const {
    double sum = 0.0;
    for (const GpuLayerMeasurement& l : layers) sum += l.energy_uj;
    return sum;
}

GpuMeasurement parse_gpu_csv(const std::string& text, const std::string& source) {
    GpuMeasurement m;
    m.source = source;
    std::istringstream in(text);
    std::string line;
    int number = 1;
    if (!std::getline(in, line) || split_fields(line) != kColumns)
        throw WorkloadError(fmt::format("{}:1: the header must be {}", source, fmt::join(kColumns, ",")));
    while (std::getline(in, line)) {
        ++number;
        if (line.find_first_not_of(" \r") == std::string::npos) continue;
        std::vector<std::string> fields = split_fields(line);
        if (fields.size() != kColumns.size())
            throw WorkloadError(
                fmt::format("{}:{}: {} fields, the header has {}", source, number, fields.size(), kColumns.size()));
        m.layers.push_back(read_row(RowReader(source, number, std::move(fields))));
    }
    if (m.layers.empty()) throw WorkloadError(fmt::format("{}: no layer rows", source));
    return m;
}

std::string gpu_csv(const GpuMeasurement& m) {
    std::string out = fmt::format("{}\n", fmt::join(kColumns, ","));
    for (const GpuLayerMeasurement& l : m.layers) {
        const LayerShapeKey& k = l.shape;
        const bool conv = k.kind == "conv";
        const auto pair = [&](int64_t a, int64_t b) { return conv ? fmt::format("\"({}, {})\"", a, b) : "None"; };
        out += fmt::format("{},{},\"({})\",{},{},{},{},{},{},{:.9g},{:.9g},{:.9g},{:.9g}\n", l.index, k.kind,
                           fmt::join(k.input, ", "), k.out, pair(k.kernel_h, k.kernel_w), pair(k.stride_h, k.stride_w),
                           pair(k.pad_h, k.pad_w), k.groups, l.macs, l.ms, 2.0 * double(l.macs) / (l.ms * 1e9),
                           l.energy_uj, l.avg_w);
    }
    return out;
}

GpuMeasurement read_gpu_csv(const std::string& path) {
    return parse_gpu_csv(read_file_or_throw<WorkloadError>(path), path);
}

}  // namespace npu

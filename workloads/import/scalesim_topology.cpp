#include "workloads/import/scalesim_topology.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/file_text.h"
#include "common/limits.h"
#include "common/text.h"

namespace npu {
namespace {

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    std::string field;
    while (std::getline(in, field, ',')) fields.push_back(trim(field));
    while (!fields.empty() && fields.back().empty()) fields.pop_back();  // the trailing comma
    return fields;
}

int64_t positive_field(const std::string& source, int line, size_t column, const std::string& header,
                       const std::string& text) {
    try {
        size_t used = 0;
        const long long v = std::stoll(text, &used);
        if (used == text.size() && v >= 1 && v <= kMaxFileInteger) return v;
    } catch (const std::exception&) {
    }
    throw WorkloadError(fmt::format("{}:{}: column {} ({}): expected a positive integer below 2^31, got '{}'", source,
                                    line, column + 1, header, text));
}

}  // namespace

ScaleSimTopology parse_scalesim_topology(const std::string& text, const std::string& source) {
    ScaleSimTopology t;
    t.name = std::filesystem::path(source).stem().string();
    std::stringstream in(text);
    std::string line;
    int number = 0;
    std::vector<std::string> header;
    while (std::getline(in, line)) {
        ++number;
        if (trim(line).empty()) continue;
        const std::vector<std::string> fields = split(line);
        if (header.empty()) {
            header = fields;
            // The GEMM format's header names M, N and K.
            t.gemm_format = header.size() >= 4 && header[1] == "M" && header[2] == "N" && header[3] == "K";
            if (!t.gemm_format && header.size() < 8)
                throw WorkloadError(fmt::format(
                    "{}:{}: not a SCALE-Sim topology header (expected 'Layer name, IFMAP Height, IFMAP Width, "
                    "Filter Height, Filter Width, Channels, Num Filter, Strides,' or 'Layer Name, M, N, K,')",
                    source, number));
            continue;
        }
        const size_t needed = t.gemm_format ? 4 : 8;
        if (fields.size() < needed || fields.size() > needed + (t.gemm_format ? 0 : 1))
            throw WorkloadError(fmt::format("{}:{}: expected {} values, got {}", source, number,
                                            t.gemm_format ? "4" : "8 or 9", fields.size()));
        auto value = [&](size_t column) {
            return positive_field(source, number, column, column < header.size() ? header[column] : "", fields[column]);
        };
        ScaleSimLayer l;
        l.name = fields[0];
        l.line = number;
        if (t.gemm_format) {
            const int64_t m = value(1), n = value(2), k = value(3);
            l.ifmap_h = m;
            l.ifmap_w = k;
            l.filter_h = 1;
            l.filter_w = k;
            l.channels = 1;
            l.filters = n;
        } else {
            l.ifmap_h = value(1);
            l.ifmap_w = value(2);
            l.filter_h = value(3);
            l.filter_w = value(4);
            l.channels = value(5);
            l.filters = value(6);
            l.stride_h = value(7);
            l.stride_w = fields.size() > 8 ? value(8) : l.stride_h;
            l.depthwise = l.name.find("DP") != std::string::npos;
        }
        if (l.filter_h > l.ifmap_h || l.filter_w > l.ifmap_w)
            throw WorkloadError(fmt::format("{}:{}: layer '{}': the {}x{} filter is larger than the {}x{} ifmap",
                                            source, number, l.name, l.filter_h, l.filter_w, l.ifmap_h, l.ifmap_w));
        t.layers.push_back(l);
    }
    if (t.layers.empty()) throw WorkloadError(fmt::format("{}: no layers", source));
    return t;
}

ScaleSimTopology load_scalesim_topology(const std::string& path) {
    return parse_scalesim_topology(read_file_or_throw<WorkloadError>(path), path);
}

Graph topology_graph(const ScaleSimTopology& t, const Limits& limits) {
    Graph g;
    g.name = t.name;
    g.source = t.name + ".csv";
    for (const ScaleSimLayer& s : t.layers) {
        Layer in;
        in.name = s.name + "/ifmap";
        in.kind = LayerKind::Input;
        in.source_line = s.line;
        // Grown to SCALE-Sim's output size (see the header).
        in.output = Shape{1, s.channels, (s.ofmap_h() - 1) * s.stride_h + s.filter_h,
                          (s.ofmap_w() - 1) * s.stride_w + s.filter_w};
        const int input = g.add(in);
        Layer conv;
        conv.name = s.name;
        conv.kind = LayerKind::Conv2d;
        conv.source_line = s.line;
        conv.inputs = {input};
        conv.conv.bias = false;
        conv.conv.groups = s.depthwise ? s.channels : 1;
        conv.conv.filters = s.depthwise ? s.channels * s.filters : s.filters;
        Window2d& w = conv.conv.window;
        w.kernel_h = s.filter_h;
        w.kernel_w = s.filter_w;
        w.stride_h = s.stride_h;
        w.stride_w = s.stride_w;
        g.add(conv);
    }
    infer_shapes(g, limits);
    return g;
}

}  // namespace npu

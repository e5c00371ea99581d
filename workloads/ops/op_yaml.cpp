#include "workloads/ops/op_yaml.h"

#include <fmt/format.h>

namespace npu {
namespace {

// kernel / stride / dilation: one value or [h, w].
void read_pair(const YamlMap& m, const std::string& key, int64_t& h, int64_t& w) {
    const std::vector<int64_t> v = m.get_int_or_list(key);
    if (v.size() == 1) {
        h = w = v[0];
    } else if (v.size() == 2) {
        h = v[0];
        w = v[1];
    } else {
        m.fail(key, "expected one value or [h, w]");
    }
}

// padding: one value, [h, w], or [top, left, bottom, right].
void read_padding(const YamlMap& m, Window2d& win) {
    if (!m.has("padding")) return;
    const std::vector<int64_t> v = m.get_int_or_list("padding");
    if (v.size() == 1) {
        win.pad_top = win.pad_bottom = win.pad_left = win.pad_right = v[0];
    } else if (v.size() == 2) {
        win.pad_top = win.pad_bottom = v[0];
        win.pad_left = win.pad_right = v[1];
    } else if (v.size() == 4) {
        win.pad_top = v[0];
        win.pad_left = v[1];
        win.pad_bottom = v[2];
        win.pad_right = v[3];
    } else {
        m.fail("padding", "expected one value, [h, w] or [top, left, bottom, right]");
    }
}

}  // namespace

Window2d read_window(const YamlMap& m, bool stride_defaults_to_kernel) {
    Window2d win;
    read_pair(m, "kernel", win.kernel_h, win.kernel_w);
    if (m.has("stride")) {
        read_pair(m, "stride", win.stride_h, win.stride_w);
    } else if (stride_defaults_to_kernel) {
        win.stride_h = win.kernel_h;
        win.stride_w = win.kernel_w;
    }
    if (m.has("dilation")) read_pair(m, "dilation", win.dilation_h, win.dilation_w);
    read_padding(m, win);
    return win;
}

Activation read_activation(const YamlMap& m) {
    const std::string a = m.get_string_or("activation", "none");
    if (a == "none") return Activation::None;
    if (a == "relu") return Activation::Relu;
    if (a == "relu6") return Activation::Relu6;
    m.fail("activation", fmt::format("unknown activation '{}' (none, relu, relu6)", a));
}

std::vector<float> read_floats(const YamlMap& m, const std::string& key) {
    std::vector<float> out;
    for (const std::string& v : m.get_string_list(key)) {
        try {
            size_t used = 0;
            out.push_back(std::stof(v, &used));
            if (used != v.size()) throw std::invalid_argument(v);
        } catch (const std::exception&) {
            m.fail(key, fmt::format("expected numbers, got '{}'", v));
        }
    }
    return out;
}

}  // namespace npu

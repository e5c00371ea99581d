#include "sim/compiler/conv_tiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <vector>

#include "arch/isa.h"
#include "arch/systolic_timing.h"
#include "common/error.h"
#include "sim/compiler/window_span.h"

namespace npu {
namespace {

// Halvings of `dim`, plus multiples of `align` (powers of two times it), all within [1, dim].
std::vector<int64_t> candidates(int64_t dim, int64_t align) {
    std::set<int64_t> values;
    for (int64_t d = dim; d >= 1; d = (d == 1 ? 0 : ceil_div(d, 2))) values.insert(d);
    for (int64_t a = align; a > 1 && a < dim; a *= 2) values.insert(a);
    return std::vector<int64_t>(values.rbegin(), values.rend());  // largest first
}

// Sum over output blocks of `block` along an axis of the input span each reads.
int64_t input_span_sum(int64_t out_size, int64_t block, int64_t stride, int64_t pad, int64_t extent, int64_t in_size) {
    int64_t sum = 0;
    for (int64_t b = 0; b < out_size; b += block)
        sum += input_span(b, std::min(block, out_size - b), stride, pad, extent, in_size).size();
    return sum;
}

struct Search {
    const ConvGeometry& g;
    const NpuConfig& c;
    int64_t e;      // element bytes
    int64_t out_e;  // output element bytes
    ArrayShape array;
    TensorHomes homes;
    int64_t onchip_bytes_per_cycle;  // the port of the buffer resident tensors live in

    OperandNeeds needs(const ConvTiling& t) const {
        OperandNeeds n;
        n.slot_bytes[size_t(Operand::Ifmap)] = conv_input_box_elements(g, t.groups * t.channels, t) * e;
        n.slot_bytes[size_t(Operand::Weight)] =
            t.groups * t.filters * t.channels * g.window.kernel_h * g.window.kernel_w * e;
        const int64_t channels = t.groups * t.filters;
        n.slot_bytes[size_t(Operand::Output)] = t.m() * channels * out_e * (homes.fused_add ? 2 : 1) +
                                                pooled_elements(homes.pool, t.batch, channels, t.rows, t.cols) * out_e +
                                                channels * isa::kChannelParamBytes;
        return n;
    }

    bool fit(ConvTiling& t) const {
        t.needs = needs(t);
        t.accumulator_entries = t.groups * t.m() * t.filters;
        return t.accumulator_entries <= c.accumulator.size_bytes / 4 / 2 && fits(c, t.needs);
    }

    // Largest output box that fits, shrinking batch, then rows, then columns (by halves, cut at
    // multiples of a fused pool's strides).
    bool fit_box(ConvTiling& t) const {
        t.batch = g.output.n;
        t.rows = g.output.h;
        t.cols = g.output.w;
        const int64_t align_h = std::max<int64_t>(1, homes.pool.stride_h);
        const int64_t align_w = std::max<int64_t>(1, homes.pool.stride_w);
        while (!fit(t)) {
            if (t.batch > 1)
                t.batch = ceil_div(t.batch, 2);
            else if (halve(t.rows, align_h) < t.rows)
                t.rows = halve(t.rows, align_h);
            else if (halve(t.cols, align_w) < t.cols)
                t.cols = halve(t.cols, align_w);
            else
                return false;
        }
        return true;
    }
    static int64_t halve(int64_t v, int64_t align) {
        const int64_t half = ceil_div(v, 2);
        return align == 1 ? half : std::max(align, half / align * align);
    }

    // Fills the estimates for the better loop order.
    void estimate(ConvTiling& t) const {
        const Window2d& w = g.window;
        const int64_t tiles_g = ceil_div(g.groups, t.groups);
        const int64_t tiles_k = ceil_div(g.in_per_group(), t.channels);
        const int64_t tiles_n = ceil_div(g.out_per_group(), t.filters);
        const int64_t tiles_m =
            ceil_div(g.output.n, t.batch) * ceil_div(g.output.h, t.rows) * ceil_div(g.output.w, t.cols);
        const int64_t input_pass =
            g.input.n * g.input.c * input_span_sum(g.output.h, t.rows, w.stride_h, w.pad_top, w.extent_h(), g.input.h) *
            input_span_sum(g.output.w, t.cols, w.stride_w, w.pad_left, w.extent_w(), g.input.w) * e;
        const int64_t weights = g.output.c * g.k_per_group() * e;
        const int64_t outputs = (homes.pool.present() ? homes.pool.output_elements : g.output.elements()) * out_e;
        const int64_t params = g.output.c * isa::kChannelParamBytes * tiles_m;
        // m_outer: weights stay only if one (k, n) tile; inputs stay across n if one k tile.
        const Traffic m_outer = traffic(input_pass * (tiles_k == 1 ? 1 : tiles_n),
                                        weights * (tiles_k == 1 && tiles_n == 1 ? 1 : tiles_m), outputs, params);
        const Traffic n_outer = traffic(input_pass * (tiles_k == 1 && tiles_m == 1 ? 1 : tiles_n),
                                        weights * (tiles_k == 1 ? 1 : tiles_m), outputs, params);
        t.m_outer = !(n_outer < m_outer);
        const Traffic& chosen = t.m_outer ? m_outer : n_outer;
        const Traffic& other = t.m_outer ? n_outer : m_outer;
        t.dram_bytes = chosen.dram;
        t.onchip_bytes = chosen.onchip;
        t.other_order_dram_bytes = other.dram;
        t.other_order_onchip_bytes = other.onchip;
        t.tiles = tiles_g * tiles_n * tiles_m;
        const GemmDims tile{t.m(), t.channels * w.kernel_h * w.kernel_w, t.filters};
        t.array_cycles = t.tiles * tiles_k * t.groups * gemm_cycles(c.dataflow, tile, array).count();
        t.estimated_cycles = std::max({t.array_cycles, dram_cycles(t), onchip_cycles(t)});
        t.bound = t.estimated_cycles == t.array_cycles   ? "array"
                  : t.estimated_cycles == dram_cycles(t) ? "dram"
                                                         : "onchip";
    }

    // Smaller estimated time, then less DRAM traffic.
    static bool better(const ConvTiling& a, const ConvTiling& b) {
        return a.estimated_cycles != b.estimated_cycles ? a.estimated_cycles < b.estimated_cycles
                                                        : a.dram_bytes < b.dram_bytes;
    }

    struct Traffic {
        int64_t dram = 0, onchip = 0;
        bool operator<(const Traffic& o) const { return dram != o.dram ? dram < o.dram : onchip < o.onchip; }
    };
    Traffic traffic(int64_t input_reads, int64_t weight_reads, int64_t outputs, int64_t params) const {
        Traffic r{weight_reads + params, 0};
        (homes.input_onchip ? r.onchip : r.dram) += input_reads;
        (homes.output_onchip ? r.onchip : r.dram) += outputs;
        if (homes.fused_add) (homes.skip_onchip ? r.onchip : r.dram) += outputs;  // the add's other operand
        return r;
    }

    int64_t dram_cycles(const ConvTiling& t) const { return int64_t(double(t.dram_bytes) / c.dram_bytes_per_cycle()); }
    int64_t onchip_cycles(const ConvTiling& t) const {
        return int64_t(double(t.onchip_bytes) / double(onchip_bytes_per_cycle));
    }
};

}  // namespace

int64_t conv_input_box_elements(const ConvGeometry& g, int64_t channels, const ConvTiling& t) {
    const Window2d& w = g.window;
    const int64_t rows = std::min(g.input.h, (t.rows - 1) * w.stride_h + w.extent_h());
    const int64_t cols = std::min(g.input.w, (t.cols - 1) * w.stride_w + w.extent_w());
    return t.batch * channels * rows * cols;
}

TilingChoice search_conv_tiling(const ConvGeometry& g, const NpuConfig& c, Precision precision, int64_t output_bytes,
                                const std::string& layer_name, TensorHomes homes) {
    const BufferConfig& resident = c.ifmap.present() ? c.ifmap : c.unified;
    const Search search{g,
                        c,
                        int64_t(element_bytes(precision)),
                        output_bytes,
                        ArrayShape{c.rows, c.cols},
                        homes,
                        std::max<int64_t>(1, resident.bytes_per_cycle)};
    const int64_t kernel = g.window.kernel_h * g.window.kernel_w;
    TilingChoice choice;
    for (int64_t groups : candidates(g.groups, 1)) {
        const bool whole_groups = groups > 1;
        const std::vector<int64_t> channel_options =
            whole_groups ? std::vector<int64_t>{g.in_per_group()}
                         : candidates(g.in_per_group(), std::max<int64_t>(1, c.rows / kernel));
        const std::vector<int64_t> filter_options =
            whole_groups ? std::vector<int64_t>{g.out_per_group()} : candidates(g.out_per_group(), c.cols);
        for (int64_t channels : channel_options)
            for (int64_t filters : filter_options) {
                ConvTiling t;
                t.groups = groups;
                t.channels = channels;
                t.filters = filters;
                if (!search.fit_box(t)) continue;
                search.estimate(t);
                ++choice.fitting;
                if (choice.fitting == 1 || Search::better(t, choice.chosen)) {
                    if (choice.fitting > 1) choice.runner_up = choice.chosen;
                    choice.chosen = t;
                } else if (choice.fitting == 2 || Search::better(t, choice.runner_up)) {
                    choice.runner_up = t;
                }
            }
    }
    if (choice.fitting == 0)
        throw CompileError(
            fmt::format("layer '{}': no tiling fits design '{}' (even one output pixel of one channel needs more "
                        "buffer than the design has; window {}x{}, input {}x{})",
                        layer_name, c.name, g.window.kernel_h, g.window.kernel_w, g.input.h, g.input.w));
    choice.has_runner_up = choice.fitting > 1;
    return choice;
}

ConvTiling choose_conv_tiling(const ConvGeometry& g, const NpuConfig& c, Precision precision, int64_t output_bytes,
                              const std::string& layer_name, TensorHomes homes) {
    return search_conv_tiling(g, c, precision, output_bytes, layer_name, homes).chosen;
}

std::string ConvTiling::shape() const {
    return fmt::format("g{} c{} f{} box {}x{}x{}", groups, channels, filters, batch, rows, cols);
}

std::string TilingChoice::reason() const {
    const ConvTiling& t = chosen;
    std::string why = fmt::format("{}-bound", t.bound);
    if (!has_runner_up)
        why += "; the only tiling that fits";
    else if (runner_up.estimated_cycles > t.estimated_cycles)
        why += fmt::format("; next best {} +{:.1f}% cycles ({}-bound)", runner_up.shape(),
                           100.0 * double(runner_up.estimated_cycles - t.estimated_cycles) /
                               double(std::max<int64_t>(1, t.estimated_cycles)),
                           runner_up.bound);
    else if (runner_up.dram_bytes > t.dram_bytes)
        why += fmt::format("; ties on cycles with {}, {} fewer DRAM bytes", runner_up.shape(),
                           runner_up.dram_bytes - t.dram_bytes);
    else
        why +=
            fmt::format("; ties with {} on cycles and DRAM bytes (the first in search order wins)", runner_up.shape());
    if (t.other_order_dram_bytes != t.dram_bytes)
        why += fmt::format("; {} saves {} DRAM bytes of reloads", t.order(), t.other_order_dram_bytes - t.dram_bytes);
    else if (t.other_order_onchip_bytes != t.onchip_bytes)
        why += fmt::format("; {} saves {} on-chip bytes", t.order(), t.other_order_onchip_bytes - t.onchip_bytes);
    return why;
}

}  // namespace npu

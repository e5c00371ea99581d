#include "sim/compiler/conv_tiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <set>
#include <vector>

#include "arch/isa.h"
#include "arch/systolic_timing.h"
#include "common/error.h"
#include "sim/compiler/packed_weights.h"
#include "sim/compiler/tiling_choice.h"
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

// Boxes along one axis: (extent, how many boxes have it), runs of equal extents merged. Only the
// boxes at an axis's ends differ from the rest, so a few entries live inline: the search
// estimates hundreds of tilings per layer, and a heap allocation each would be most of its time.
class Extents {
public:
    using Entry = std::pair<int64_t, int64_t>;
    Extents() = default;
    Extents(std::initializer_list<Entry> entries) {
        for (const Entry& e : entries) append(e);
    }
    void add(int64_t extent) {
        if (m_size > 0 && entries()[m_size - 1].first == extent)
            ++entries()[m_size - 1].second;
        else
            append({extent, 1});
    }
    const Entry* begin() const { return m_spill.empty() ? m_inline.data() : m_spill.data(); }
    const Entry* end() const { return begin() + m_size; }
    const Entry& front() const { return *begin(); }

private:
    Entry* entries() { return m_spill.empty() ? m_inline.data() : m_spill.data(); }
    void append(const Entry& e) {
        if (m_spill.empty() && m_size < m_inline.size()) {
            m_inline[m_size] = e;
        } else {
            if (m_spill.empty()) m_spill.assign(m_inline.begin(), m_inline.end());
            m_spill.push_back(e);
        }
        ++m_size;
    }
    std::array<Entry, 6> m_inline{};
    std::vector<Entry> m_spill;
    size_t m_size = 0;
};

// An axis of `total` cut into blocks of `block`: the full ones and the clipped last one.
Extents blocks(int64_t total, int64_t block) {
    Extents e{{block, total / block}};
    if (total % block) e.add(total % block);
    return e;
}

// The input spans that output blocks of `block` along an axis read (with the window's halo).
Extents input_spans(int64_t out_size, int64_t block, int64_t stride, int64_t pad, int64_t extent, int64_t in_size) {
    Extents e;
    for (int64_t b = 0; b < out_size; b += block)
        e.add(input_span(b, std::min(block, out_size - b), stride, pad, extent, in_size).size());
    return e;
}

int64_t extent_sum(const Extents& e) {
    int64_t sum = 0;
    for (const auto& [extent, count] : e) sum += extent * count;
    return sum;
}

// Contiguous DRAM runs of all the boxes (one per combination of the axes' extents) of a tensor
// of `dims`: per box, the product of its extents before the suffix of whole dimensions, as
// arch/dram_box.h walks it.
int64_t box_runs(const std::array<int64_t, 4>& dims, const std::array<Extents, 4>& axes) {
    int64_t runs = 0;
    for (const auto& [e0, n0] : axes[0])
        for (const auto& [e1, n1] : axes[1])
            for (const auto& [e2, n2] : axes[2])
                for (const auto& [e3, n3] : axes[3]) {
                    const int64_t extent[4] = {e0, e1, e2, e3};
                    int inner = 3;
                    while (inner > 0 && extent[inner] == dims[size_t(inner)]) --inner;
                    int64_t per_box = 1;
                    for (int d = 0; d < inner; ++d) per_box *= extent[d];
                    runs += per_box * n0 * n1 * n2 * n3;
                }
    return runs;
}

struct Search {
    const ConvGeometry& g;
    const NpuConfig& c;
    int64_t e;      // element bytes
    int64_t out_e;  // output element bytes
    ArrayShape array;
    TensorHomes homes;
    int64_t onchip_bytes_per_cycle;  // the port of the buffer resident tensors live in
    NmPattern nm;                    // present: weights stored and mapped N:M-compressed

    // DRAM bytes of one filter's weights for `channels` input channels (packed with nm).
    int64_t filter_weight_bytes(int64_t channels) const {
        const int64_t k = channels * g.window.kernel_h * g.window.kernel_w;
        return nm.present() ? (packed_bits(nm, nm.kept_rows(k), e) + 7) / 8 : k * e;
    }

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
        while (!fit(t))
            if (!shrink(t)) return false;
        return true;
    }
    // The next smaller box in fit_box's order (its needs are fit's to refresh); false when it is
    // one pixel (or one pool window).
    bool shrink(ConvTiling& t) const {
        const int64_t align_h = std::max<int64_t>(1, homes.pool.stride_h);
        const int64_t align_w = std::max<int64_t>(1, homes.pool.stride_w);
        if (t.batch > 1)
            t.batch = ceil_div(t.batch, 2);
        else if (halve(t.rows, align_h) < t.rows)
            t.rows = halve(t.rows, align_h);
        else if (halve(t.cols, align_w) < t.cols)
            t.cols = halve(t.cols, align_w);
        else
            return false;
        return true;
    }
    static int64_t halve(int64_t v, int64_t align) {
        const int64_t half = ceil_div(v, 2);
        return align == 1 ? half : std::max(align, half / align * align);
    }

    // Bytes one pass over a tensor costs in DRAM: its bytes plus, per contiguous run, the burst
    // it starts or ends in part (B - e on average for a run at a random element offset).
    int64_t burst_bytes(int64_t bytes, int64_t runs, int64_t element_bytes) const {
        return bytes + runs * std::max<int64_t>(0, c.dram.burst_bytes - element_bytes);
    }
    int64_t box_bytes(int64_t bytes, const std::array<int64_t, 4>& dims, const std::array<Extents, 4>& axes,
                      int64_t element_bytes) const {
        return burst_bytes(bytes, box_runs(dims, axes), element_bytes);
    }

    // Fills the estimates for the better loop order.
    void estimate(ConvTiling& t) const {
        const Window2d& w = g.window;
        const int64_t tiles_g = ceil_div(g.groups, t.groups);
        const int64_t tiles_k = ceil_div(g.in_per_group(), t.channels);
        const int64_t tiles_n = ceil_div(g.out_per_group(), t.filters);
        const int64_t tiles_m =
            ceil_div(g.output.n, t.batch) * ceil_div(g.output.h, t.rows) * ceil_div(g.output.w, t.cols);
        const Extents rows = input_spans(g.output.h, t.rows, w.stride_h, w.pad_top, w.extent_h(), g.input.h);
        const Extents cols = input_spans(g.output.w, t.cols, w.stride_w, w.pad_left, w.extent_w(), g.input.w);
        const int64_t in_channels = t.groups * t.channels;
        const std::array<int64_t, 4> in_dims{g.input.n, g.input.c, g.input.h, g.input.w};
        const int64_t input_bytes = g.input.n * g.input.c * extent_sum(rows) * extent_sum(cols) * e;
        const int64_t input_pass =
            homes.input_onchip ? input_bytes
                               : box_bytes(input_bytes, in_dims,
                                           {blocks(g.input.n, t.batch), blocks(g.input.c, in_channels), rows, cols}, e);
        const int64_t weights = weight_pass_bytes(t);
        t.tiles = tiles_g * tiles_n * tiles_m;
        // One transfer per input box, weight slice, output tile, and each output tile's channel
        // parameters (one run of bytes).
        const Pass input{input_pass, tiles_g * tiles_k * tiles_m}, weight{weights, tiles_g * tiles_k * tiles_n};
        const Pass output{output_pass(t), t.tiles};
        const int64_t param_bytes = g.output.c * isa::kChannelParamBytes;
        const Pass params{box_bytes(param_bytes, {1, 1, g.output.c, isa::kChannelParamBytes},
                                    {Extents{{1, 1}}, Extents{{1, 1}}, blocks(g.output.c, t.groups * t.filters),
                                     Extents{{isa::kChannelParamBytes, 1}}},
                                    1) *
                              tiles_m,
                          t.tiles};
        // m_outer: weights stay only if one (k, n) tile; inputs stay across n if one k tile.
        const Traffic m_outer = traffic(input * (tiles_k == 1 ? 1 : tiles_n),
                                        weight * (tiles_k == 1 && tiles_n == 1 ? 1 : tiles_m), output, params);
        const Traffic n_outer = traffic(input * (tiles_k == 1 && tiles_m == 1 ? 1 : tiles_n),
                                        weight * (tiles_k == 1 ? 1 : tiles_m), output, params);
        t.m_outer = !(n_outer < m_outer);
        const Traffic& chosen = t.m_outer ? m_outer : n_outer;
        const Traffic& other = t.m_outer ? n_outer : m_outer;
        t.dram_bytes = chosen.dram;
        t.onchip_bytes = chosen.onchip;
        t.other_order_dram_bytes = other.dram;
        t.other_order_onchip_bytes = other.onchip;
        // Each DMA channel waits out the DRAM's latency per transfer: many small tiles pay it often.
        t.load_cycles = cycles_of(chosen.dram - chosen.dram_stored, chosen.dram_loads);
        t.store_cycles = cycles_of(chosen.dram_stored, chosen.dram_stores);
        const GemmDims tile{t.m(), nm.kept_rows(t.channels * w.kernel_h * w.kernel_w), t.filters};
        t.step_cycles = t.groups * gemm_cycles(c.dataflow, tile, array).count();
        t.array_cycles = t.tiles * tiles_k * t.step_cycles;
        t.exposed_cycles = exposed_cycles(t, rows.front().first * cols.front().first);
        // Double buffering overlaps the rest: the array waits only for the first tile's operands
        // and the last store waits for it, or a memory path is busy throughout and the last
        // GEMM step runs after its last load.
        const int64_t array_path = t.array_cycles + t.exposed_cycles;
        const int64_t dram_path = std::max({cycles_of(t.dram_bytes, 0), t.load_cycles, t.store_cycles}) + t.step_cycles;
        const int64_t onchip_path = onchip_cycles(t) + t.step_cycles;
        t.estimated_cycles = std::max({array_path, dram_path, onchip_path});
        t.bound = t.estimated_cycles == array_path ? "array" : t.estimated_cycles == dram_path ? "dram" : "onchip";
    }

    // The weights' DRAM cost: dense boxes, or (nm) each filter's packed span per K slice.
    int64_t weight_pass_bytes(const ConvTiling& t) const {
        const Window2d& w = g.window;
        if (!nm.present())
            return box_bytes(g.output.c * g.k_per_group() * e, {g.output.c, g.in_per_group(), w.kernel_h, w.kernel_w},
                             {blocks(g.output.c, t.groups * t.filters),
                              blocks(g.in_per_group(), t.channels),
                              {{w.kernel_h, 1}},
                              {{w.kernel_w, 1}}},
                             e);
        const int64_t row = filter_weight_bytes(g.in_per_group());
        const int64_t slices = ceil_div(g.in_per_group(), t.channels);
        return box_bytes(g.output.c * row, {g.output.c, 1, 1, row},
                         {blocks(g.output.c, t.groups * t.filters),
                          {{1, 1}},
                          {{1, 1}},
                          slices == 1 ? Extents{{row, 1}} : blocks(row, filter_weight_bytes(t.channels))},
                         1);
    }

    // The output's DRAM cost (or on-chip bytes): the stored tensor, or the fused pool's.
    int64_t output_pass(const ConvTiling& t) const {
        const bool pooled = homes.pool.present();
        const int64_t sh = pooled ? homes.pool.stride_h : 1, sw = pooled ? homes.pool.stride_w : 1;
        const int64_t bytes = (pooled ? homes.pool.output_elements : g.output.elements()) * out_e;
        if (homes.output_onchip) return bytes;
        const int64_t h = ceil_div(g.output.h, sh), w = ceil_div(g.output.w, sw);
        return box_bytes(bytes, {g.output.n, g.output.c, h, w},
                         {blocks(g.output.n, t.batch), blocks(g.output.c, t.groups * t.filters),
                          blocks(h, ceil_div(t.rows, sh)), blocks(w, ceil_div(t.cols, sw))},
                         out_e);
    }

    // What the overlap cannot hide from the array: the first tile's input box, weight slice and
    // channel parameters arrive before it starts, and the last output tile leaves after it stops
    // (a larger box exposes more of both), each a transfer with the DRAM's latency.
    int64_t exposed_cycles(const ConvTiling& t, int64_t first_box_pixels) const {
        const int64_t in_bytes = t.batch * t.groups * t.channels * first_box_pixels * e;
        const int64_t weight_bytes = t.groups * t.filters * filter_weight_bytes(t.channels);
        const int64_t out_bytes = t.m() * t.groups * t.filters * out_e;
        auto cycles = [&](int64_t bytes, bool onchip) {
            return onchip ? double(bytes) / double(onchip_bytes_per_cycle)
                          : double(bytes) / c.dram_bytes_per_cycle() + c.dram_latency_cycles();
        };
        const int64_t param_bytes = t.groups * t.filters * isa::kChannelParamBytes;
        return int64_t(cycles(in_bytes, homes.input_onchip) + cycles(weight_bytes, false) + cycles(param_bytes, false) +
                       cycles(out_bytes, homes.output_onchip));
    }

    // Bytes of one operand over the layer, and the transfers that move them.
    struct Pass {
        int64_t bytes = 0, transfers = 0;
        Pass operator*(int64_t passes) const { return {bytes * passes, transfers * passes}; }
    };
    struct Traffic {
        int64_t dram = 0, onchip = 0;
        int64_t dram_stored = 0;                  // of `dram`, the stores
        int64_t dram_loads = 0, dram_stores = 0;  // transfers
        bool operator<(const Traffic& o) const { return dram != o.dram ? dram < o.dram : onchip < o.onchip; }
        void load(const Pass& p, bool onchip_home) {
            (onchip_home ? onchip : dram) += p.bytes;
            if (!onchip_home) dram_loads += p.transfers;
        }
    };
    Traffic traffic(const Pass& input, const Pass& weight, const Pass& output, const Pass& params) const {
        Traffic r;
        r.load(weight, false);
        r.load(params, false);
        r.load(input, homes.input_onchip);
        if (homes.fused_add) r.load(output, homes.skip_onchip);  // the add's other operand
        if (homes.output_onchip) {
            r.onchip += output.bytes;
        } else {
            r.dram += output.bytes;
            r.dram_stored = output.bytes;
            r.dram_stores = output.transfers;
        }
        return r;
    }
    // A DMA channel's busy cycles: the bytes at the DRAM's rate and the latency of every transfer.
    int64_t cycles_of(int64_t bytes, int64_t transfers) const {
        return int64_t(double(bytes) / c.dram_bytes_per_cycle() + double(transfers) * c.dram_latency_cycles());
    }

    int64_t onchip_cycles(const ConvTiling& t) const {
        return int64_t(double(t.onchip_bytes) / double(onchip_bytes_per_cycle));
    }
};

// Boxes tried per slice: the largest that fits and this many halvings of it (a smaller box
// exposes a shorter first load and last store, at the price of more reloads and bursts).
constexpr int kBoxHalvings = 4;

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
                        std::max<int64_t>(1, resident.bytes_per_cycle),
                        mapped_nm(c, g, int64_t(element_bytes(precision)))};
    const int64_t kernel = g.window.kernel_h * g.window.kernel_w;
    std::vector<TilingCandidate> all;
    all.reserve(1024);  // the most a layer of the zoo weighs is under 900
    for (int64_t groups : candidates(g.groups, 1)) {
        const bool whole_groups = groups > 1;
        std::vector<int64_t> channel_options =
            whole_groups ? std::vector<int64_t>{g.in_per_group()}
                         : candidates(g.in_per_group(), std::max<int64_t>(1, c.rows / kernel));
        if (search.nm.present())  // K is cut only between N:M groups (sim/compiler/packed_weights.h)
            channel_options.erase(
                std::remove_if(channel_options.begin(), channel_options.end(),
                               [&](int64_t ch) { return ch != g.in_per_group() && ch * kernel % search.nm.m != 0; }),
                channel_options.end());
        const std::vector<int64_t> filter_options =
            whole_groups ? std::vector<int64_t>{g.out_per_group()} : candidates(g.out_per_group(), c.cols);
        for (int64_t channels : channel_options)
            for (int64_t filters : filter_options) {
                ConvTiling t;
                t.groups = groups;
                t.channels = channels;
                t.filters = filters;
                if (!search.fit_box(t)) continue;
                const size_t largest = all.size();
                for (int halvings = 0; halvings <= kBoxHalvings; ++halvings) {
                    t.box_halvings = halvings;
                    search.estimate(t);
                    all.push_back({t, largest});
                    if (!search.shrink(t)) break;
                    search.fit(t);  // a smaller box fits where the larger one did: this refreshes its needs
                }
            }
    }
    TilingChoice choice = choose_tiling(all, c.memory.tiling_slack);
    if (choice.fitting == 0)
        throw CompileError(
            fmt::format("layer '{}': no tiling fits design '{}' (even one output pixel of one channel needs more "
                        "buffer than the design has; window {}x{}, input {}x{})",
                        layer_name, c.name, g.window.kernel_h, g.window.kernel_w, g.input.h, g.input.w));
    return choice;
}

ConvTiling choose_conv_tiling(const ConvGeometry& g, const NpuConfig& c, Precision precision, int64_t output_bytes,
                              const std::string& layer_name, TensorHomes homes) {
    return search_conv_tiling(g, c, precision, output_bytes, layer_name, homes).chosen;
}

}  // namespace npu

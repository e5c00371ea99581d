#include "sim/compiler/conv_tiler.h"
#include "sim/compiler/lowering.h"
#include "sim/compiler/packed_weights.h"
#include "sim/compiler/window_span.h"

namespace npu {

isa::DramBox LoweringContext::tensor_box(int layer) const {
    const Shape s = graph.layers[size_t(layer)].output;
    isa::DramBox box;
    box.base = onchip(layer) ? residency.address(tensor_id(layer)) : dram.output_address[size_t(layer)];
    box.element_bytes = output_bytes(layer);
    box.dims = {s.n, s.c, s.h, s.w};
    box.extent = box.dims;
    return box;
}

isa::DramBox sub_box(isa::DramBox whole, std::array<int64_t, 4> start, std::array<int64_t, 4> extent) {
    whole.start = start;
    whole.extent = extent;
    return whole;
}

namespace {

// Emits the instructions of one convolution layer tile by tile.
class ConvLowering {
public:
    ConvLowering(const LoweringContext& ctx, int layer)
        : m_ctx(ctx),
          m_layer(ctx.graph.layers[size_t(layer)]),
          m_index(layer),
          m_input(m_layer.inputs[0]),
          m_geometry(ConvGeometry::from_layer(m_layer, ctx.graph.layers[size_t(m_input)].output)),
          m_next(ctx.fusion.next_of[size_t(layer)]),
          m_add(m_next >= 0 && ctx.graph.layers[size_t(m_next)].kind == LayerKind::Add ? m_next : -1),
          m_pool(m_next >= 0 && m_add < 0 ? fused_pool(ctx.graph.layers[size_t(m_next)]) : FusedPool{}),
          m_choice(search_conv_tiling(m_geometry, ctx.config, ctx.precision, ctx.output_bytes(layer), m_layer.name,
                                      homes(ctx, layer, m_input, m_add, m_pool))),
          m_tiling(m_choice.chosen),
          m_nm(mapped_nm(ctx.config, m_geometry, ctx.element_bytes())),
          m_buffers(ctx.config, m_tiling.needs) {
        if (ctx.tilings) (*ctx.tilings)[size_t(layer)] = m_choice;
    }

    void run() {
        const ConvGeometry& g = m_geometry;
        for (int64_t g0 = 0; g0 < g.groups; g0 += m_tiling.groups) {
            std::vector<std::array<int64_t, 3>> boxes;
            for (int64_t n0 = 0; n0 < g.output.n; n0 += m_tiling.batch)
                for (int64_t y0 = 0; y0 < g.output.h; y0 += m_tiling.rows)
                    for (int64_t x0 = 0; x0 < g.output.w; x0 += m_tiling.cols) boxes.push_back({n0, y0, x0});
            std::vector<int64_t> filter_blocks;
            for (int64_t f0 = 0; f0 < g.out_per_group(); f0 += m_tiling.filters) filter_blocks.push_back(f0);
            if (m_tiling.m_outer) {
                for (const auto& box : boxes)
                    for (int64_t f0 : filter_blocks) output_tile(g0, box, f0);
            } else {
                for (int64_t f0 : filter_blocks)
                    for (const auto& box : boxes) output_tile(g0, box, f0);
            }
        }
    }

private:
    // One output tile: the K loop of GEMMs into one accumulator slot, then requantize and store.
    void output_tile(int64_t g0, const std::array<int64_t, 3>& box, int64_t f0) {
        const ConvGeometry& g = m_geometry;
        const int64_t groups = std::min(m_tiling.groups, g.groups - g0);
        const int64_t filters = std::min(m_tiling.filters, g.out_per_group() - f0);
        const std::array<int64_t, 3> extent{std::min(m_tiling.batch, g.output.n - box[0]),
                                            std::min(m_tiling.rows, g.output.h - box[1]),
                                            std::min(m_tiling.cols, g.output.w - box[2])};
        const int64_t m = extent[0] * extent[1] * extent[2];
        const isa::Region acc = accumulator_slot(m_ctx.config, m_acc_slots++, groups * m * filters);
        for (int64_t c0 = 0; c0 < g.in_per_group(); c0 += m_tiling.channels) {
            const int64_t channels = std::min(m_tiling.channels, g.in_per_group() - c0);
            isa::Gemm gemm;
            gemm.input = input_tile(g0, groups, c0, channels, box, extent);
            gemm.window = g.window;
            gemm.out_start = box;
            gemm.out_extent = extent;
            gemm.groups = groups;
            gemm.channels = channels;
            gemm.filters = filters;
            gemm.channel_base = 0;
            gemm.channel_step = channels;
            gemm.weights = weight_tile(g0, groups, f0, filters, c0, channels);
            gemm.out_channel0 = g0 * g.out_per_group() + f0;
            gemm.input_zero_point = m_ctx.quant[size_t(m_input)].out_zero_point;
            gemm.weight_zero_point = m_ctx.quant[size_t(m_index)].weight_zero_point;
            gemm.weight_nm = m_nm;
            gemm.accumulator = acc;
            gemm.accumulate = c0 > 0;
            m_ctx.builder.gemm(gemm);
        }
        finish_tile(g0, groups, f0, filters, box, extent, acc);
    }

    isa::InputTile input_tile(int64_t g0, int64_t groups, int64_t c0, int64_t channels,
                              const std::array<int64_t, 3>& box, const std::array<int64_t, 3>& extent) {
        const ConvGeometry& g = m_geometry;
        const Window2d& w = g.window;
        const Span rows = input_span(box[1], extent[1], w.stride_h, w.pad_top, w.extent_h(), g.input.h);
        const Span cols = input_span(box[2], extent[2], w.stride_w, w.pad_left, w.extent_w(), g.input.w);
        isa::InputTile tile;
        const int64_t channel_start = g0 * g.in_per_group() + c0;
        tile.start = {box[0], channel_start, rows.begin, cols.begin};
        tile.extent = {extent[0], groups * channels, rows.size(), cols.size()};
        tile.tensor_h = g.input.h;
        tile.tensor_w = g.input.w;
        const std::array<int64_t, 5> key{g0, channel_start, box[0], rows.begin, cols.begin};
        const int64_t bytes = tile.extent[0] * tile.extent[1] * tile.extent[2] * tile.extent[3] * m_ctx.element_bytes();
        if (key != m_loaded_input || bytes != m_loaded_input_bytes) {  // not resident: load it
            m_input_region = m_buffers.slot(Operand::Ifmap, m_input_slots++, bytes);
            isa::DramBox whole = m_ctx.tensor_box(m_input);
            whole.dims = {g.input.n, g.input.c, g.input.h, g.input.w};  // fc: N x K x 1 x 1 view
            m_ctx.builder.load(sub_box(whole, tile.start, tile.extent), m_input_region, m_ctx.tensor_id(m_input));
            m_loaded_input = key;
            m_loaded_input_bytes = bytes;
        }
        tile.region = m_input_region;
        return tile;
    }

    isa::Region weight_tile(int64_t g0, int64_t groups, int64_t f0, int64_t filters, int64_t c0, int64_t channels) {
        const ConvGeometry& g = m_geometry;
        const std::array<int64_t, 4> key{g0, f0, c0, groups};
        if (key != m_loaded_weights) {
            const int64_t kh = g.window.kernel_h, kw = g.window.kernel_w;
            isa::DramBox box;
            box.base = m_ctx.dram.weight_address[size_t(m_index)];
            box.element_bytes = m_ctx.element_bytes();
            box.dims = {g.output.c, g.in_per_group(), kh, kw};
            box.start = {g0 * g.out_per_group() + f0, c0, 0, 0};
            box.extent = {groups * filters, channels, kh, kw};
            m_weight_region = m_buffers.slot(Operand::Weight, m_weight_slots++, box.bytes());
            if (m_nm.present())
                m_ctx.builder.load_packed(box,
                                          packed_weight_box(g, m_nm, m_ctx.element_bytes(), box.base, box.start[0],
                                                            box.extent[0], c0 * kh * kw, channels * kh * kw),
                                          m_weight_region);
            else
                m_ctx.builder.load(box, m_weight_region, -1);
            m_loaded_weights = key;
        }
        return m_weight_region;
    }

    void finish_tile(int64_t g0, int64_t groups, int64_t f0, int64_t filters, const std::array<int64_t, 3>& box,
                     const std::array<int64_t, 3>& extent, const isa::Region& acc) {
        const ConvGeometry& g = m_geometry;
        const int64_t channels = groups * filters;
        const int64_t channel0 = g0 * g.out_per_group() + f0;
        const int64_t m = extent[0] * extent[1] * extent[2];
        const int64_t param_bytes = channels * isa::kChannelParamBytes;
        const int64_t data_bytes = m * channels * m_ctx.output_bytes(m_index);
        // A fused add's other operand, or a fused pool's output, next to the tile.
        const int64_t extra_bytes = m_add >= 0 ? data_bytes
                                               : pooled_elements(m_pool, extent[0], channels, extent[1], extent[2]) *
                                                     m_ctx.output_bytes(m_index);
        const isa::Region slot =
            m_buffers.slot(Operand::Output, m_output_slots++, param_bytes + data_bytes + extra_bytes);
        const isa::Region params{slot.buffer, slot.offset, param_bytes};
        const isa::Region data{slot.buffer, slot.offset + param_bytes, data_bytes};

        isa::DramBox param_box;
        param_box.base = m_ctx.dram.param_address[size_t(m_index)];
        param_box.element_bytes = 1;
        param_box.dims = {g.output.c, 1, 1, isa::kChannelParamBytes};
        param_box.start = {channel0, 0, 0, 0};
        param_box.extent = {channels, 1, 1, isa::kChannelParamBytes};
        m_ctx.builder.load(param_box, params, -1);

        const QuantLayer& q = m_ctx.quant[size_t(m_index)];
        isa::Vector v;
        v.op = isa::VectorOp::Requantize;
        v.src = acc;
        v.params = params;
        v.dst = data;
        v.src_extent = {groups, m, filters, 1};
        v.dst_extent = {extent[0], channels, extent[1], extent[2]};
        v.activation = m_layer.activation;
        v.clamp = q.clamp;
        v.rule = q.out_int32       ? isa::RequantRule::Int32
                 : q.onnx_rounding ? isa::RequantRule::OnnxFloat
                                   : isa::RequantRule::Multiplier;
        v.out_zero_point = q.out_zero_point;
        m_ctx.builder.vector(v);

        const std::array<int64_t, 4> start{box[0], channel0, box[1], box[2]};
        const std::array<int64_t, 4> size{extent[0], channels, extent[1], extent[2]};
        const isa::Region extra{slot.buffer, data.offset + data_bytes, extra_bytes};
        if (m_add >= 0) return add_and_store(data, extra, start, size);
        if (m_pool.present()) return pool_and_store(data, extra, start, size);
        m_ctx.builder.store(data, sub_box(m_ctx.tensor_box(m_index), start, size), m_ctx.tensor_id(m_index));
    }

    // The fused residual add on one output tile: its other operand's box next to the tile, the
    // add in place (the add's rescale and activation), the add's output stored; under the add's
    // layer tag.
    void add_and_store(const isa::Region& data, const isa::Region& skip, const std::array<int64_t, 4>& start,
                       const std::array<int64_t, 4>& size) {
        const Layer& add = m_ctx.graph.layers[size_t(m_add)];
        const int other = add.inputs[0] == m_index ? add.inputs[1] : add.inputs[0];
        m_ctx.builder.set_layer(m_add);
        m_ctx.builder.load(sub_box(m_ctx.tensor_box(other), start, size), skip, m_ctx.tensor_id(other));
        isa::Vector v;
        v.op = isa::VectorOp::Add;
        v.src = add.inputs[0] == m_index ? data : skip;
        v.src2 = add.inputs[0] == m_index ? skip : data;
        v.dst = data;
        v.src_extent = size;
        v.dst_extent = size;
        v.tensor_h = m_geometry.output.h;
        v.tensor_w = m_geometry.output.w;
        v.activation = add.activation;
        v.clamp = m_ctx.quant[size_t(m_add)].clamp;
        v.add = m_ctx.quant[size_t(m_add)].add;
        m_ctx.builder.vector(v);
        m_ctx.builder.store(data, sub_box(m_ctx.tensor_box(m_add), start, size), m_ctx.tensor_id(m_add));
        m_ctx.builder.set_layer(m_index);
    }

    // The fused pool on one output tile: its windows inside the tile (cut at multiples of the
    // strides; the last tile keeps the pool's remainder rule), pooled on the vector unit, the
    // pooled box stored; under the pool's layer tag. A last tile too short for a window pools
    // nothing (the pool drops those rows).
    void pool_and_store(const isa::Region& data, const isa::Region& pooled, const std::array<int64_t, 4>& start,
                        const std::array<int64_t, 4>& size) {
        const Shape out = m_ctx.graph.layers[size_t(m_next)].output;
        auto pooled_span = [](int64_t begin, int64_t count, int64_t whole, int64_t stride, int64_t out_size) {
            const int64_t end = begin + count == whole ? out_size : (begin + count) / stride;
            return std::pair{begin / stride, end - begin / stride};
        };
        const auto [y0, rows] = pooled_span(start[2], size[2], m_geometry.output.h, m_pool.stride_h, out.h);
        const auto [x0, cols] = pooled_span(start[3], size[3], m_geometry.output.w, m_pool.stride_w, out.w);
        if (rows <= 0 || cols <= 0) return;
        const std::array<int64_t, 4> out_start{start[0], start[1], y0, x0};
        const std::array<int64_t, 4> out_size{size[0], size[1], rows, cols};
        m_ctx.builder.set_layer(m_next);
        isa::Vector v = vector_tile(m_ctx, m_next, start, size, out_start, out_size);
        v.src = data;
        v.dst = isa::Region{pooled.buffer, pooled.offset, rows * cols * size[0] * size[1] * m_ctx.output_bytes(m_next)};
        m_ctx.builder.vector(v);
        m_ctx.builder.store(v.dst, sub_box(m_ctx.tensor_box(m_next), out_start, out_size), m_ctx.tensor_id(m_next));
        m_ctx.builder.set_layer(m_index);
    }

    static TensorHomes homes(const LoweringContext& ctx, int layer, int input, int add, const FusedPool& pool) {
        if (pool.present()) return {ctx.onchip(input), ctx.onchip(layer + 1), false, false, pool};
        if (add < 0) return {ctx.onchip(input), ctx.onchip(layer), false, false, FusedPool{}};
        const Layer& a = ctx.graph.layers[size_t(add)];
        const int other = a.inputs[0] == layer ? a.inputs[1] : a.inputs[0];
        return {ctx.onchip(input), ctx.onchip(add), true, ctx.onchip(other), FusedPool{}};
    }

    const LoweringContext& m_ctx;
    const Layer& m_layer;
    int m_index;
    int m_input;
    ConvGeometry m_geometry;
    int m_next;        // the add or pool fused into this layer, or -1
    int m_add;         // m_next if it is an add
    FusedPool m_pool;  // present if m_next is a pool
    TilingChoice m_choice;
    const ConvTiling& m_tiling;
    NmPattern m_nm;  // present: the weights are stored and mapped N:M-compressed
    BufferPlan m_buffers;
    int64_t m_input_slots = 0, m_weight_slots = 0, m_output_slots = 0, m_acc_slots = 0;
    std::array<int64_t, 5> m_loaded_input{-1, -1, -1, -1, -1};
    int64_t m_loaded_input_bytes = 0;
    isa::Region m_input_region;
    std::array<int64_t, 4> m_loaded_weights{-1, -1, -1, -1};
    isa::Region m_weight_region;
};

}  // namespace

void lower_conv(const LoweringContext& ctx, int layer) { ConvLowering(ctx, layer).run(); }

}  // namespace npu

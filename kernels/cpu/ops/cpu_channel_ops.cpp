// Slice and channel shuffle on the CPU: byte moves (any precision, int32 sums too), the output
// keeping its input's scale. Written as the operators are defined (a range of one axis; a
// reshape to N x g x C/g x H x W, a transpose of axes 1 and 2, a reshape back), independently
// of the index functions the GPU and the NPU's lowering use.
#include <cstring>

#include "kernels/cpu/ops/cpu_op_parts.h"
#include "kernels/cpu/reference_ops.h"

namespace npu {
namespace {

size_t element_size(const HostTensor& t) { return t.elements() ? t.bytes.size() / size_t(t.elements()) : 1; }

}  // namespace

HostTensor slice(const HostTensor& in, const Shape& out_shape, const SliceAttrs& s) {
    HostTensor out = in;
    out.shape = out_shape;
    out.bytes.assign(size_t(out.shape.elements()) * element_size(in), 0);
    // [outer][axis][inner]: the axes before it, it, the axes after it.
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < s.axis; ++d) outer *= in.shape.dim(d);
    for (int d = s.axis + 1; d < 4; ++d) inner *= in.shape.dim(d);
    const size_t run = size_t(inner) * element_size(in) * size_t(s.end - s.begin);
    for (int64_t o = 0; o < outer; ++o)
        std::memcpy(out.bytes.data() + size_t(o) * run,
                    in.bytes.data() + (size_t(o * in.shape.dim(s.axis) + s.begin) * size_t(inner)) * element_size(in),
                    run);
    return out;
}

HostTensor channel_shuffle(const HostTensor& in, int64_t g) {
    const int64_t per_group = in.shape.c / g;
    const size_t plane = size_t(in.shape.h * in.shape.w) * element_size(in);
    HostTensor out = in;
    for (int64_t n = 0; n < in.shape.n; ++n)
        for (int64_t i = 0; i < g; ++i)                // the group axis, 1 before the transpose
            for (int64_t j = 0; j < per_group; ++j) {  // the channel-in-group axis, 2 before
                const size_t from = size_t((n * g + i) * per_group + j) * plane;
                const size_t to = size_t((n * per_group + j) * g + i) * plane;
                std::memcpy(out.bytes.data() + to, in.bytes.data() + from, plane);
            }
    return out;
}

CpuOp cpu_slice_op() {
    return {LayerKind::Slice, [](const CpuOpCall& c) { return slice(c.in(), c.layer().output, c.layer().slice); }};
}
CpuOp cpu_channel_shuffle_op() {
    return {LayerKind::ChannelShuffle,
            [](const CpuOpCall& c) { return channel_shuffle(c.in(), c.layer().shuffle_groups); }};
}

}  // namespace npu

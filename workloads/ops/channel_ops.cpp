// Ops that move values between places without arithmetic: a slice of one axis (ONNX Slice,
// chunk and split), and the channel shuffle of ShuffleNet (Zhang et al., CVPR 2018: a reshape to
// N x g x C/g x H x W, a transpose of the two channel axes, a reshape back). INT8 values keep
// their input's scale.
#include <fmt/format.h>

#include "common/yaml_reader.h"
#include "workloads/ops/op_registry_parts.h"

namespace npu {
namespace {

Shape slice_shape(const LayerView& v) {
    const SliceAttrs& s = v.layer().slice;
    if (s.axis < 0 || s.axis > 3) v.fail("slice axis must be 0..3 (n, c, h, w)");
    Shape out = v.input();
    if (s.begin < 0 || s.end <= s.begin || s.end > out.dim(s.axis))
        v.fail(fmt::format("slice [{}, {}) of axis {} must lie in [0, {}] and be non-empty", s.begin, s.end, s.axis,
                           out.dim(s.axis)));
    out.dim(s.axis) = s.end - s.begin;
    return out;
}

Shape shuffle_shape(const LayerView& v) {
    const int64_t g = v.layer().shuffle_groups, c = v.input().c;
    if (g < 1 || c % g != 0) v.fail(fmt::format("channel shuffle: {} groups must divide the {} channels", g, c));
    return v.input();
}

}  // namespace

OpDef slice_op() {
    OpDef d{LayerKind::Slice, "slice"};
    d.read_yaml = [](const YamlMap& m, const Graph&, Layer& l) {
        l.slice.axis = int(m.get_int_or("axis", 1));
        l.slice.begin = m.get_int("begin");
        l.slice.end = m.get_int("end");
    };
    d.infer_shape = slice_shape;
    return d;
}

OpDef channel_shuffle_op() {
    OpDef d{LayerKind::ChannelShuffle, "channel_shuffle"};
    d.read_yaml = [](const YamlMap& m, const Graph&, Layer& l) { l.shuffle_groups = m.get_int("groups"); };
    d.infer_shape = shuffle_shape;
    return d;
}

}  // namespace npu

#include "kernels/model/conv_geometry.h"

namespace npu {

ConvGeometry ConvGeometry::from_layer(const Layer& layer, const Shape& input) {
    ConvGeometry g;
    g.output = layer.output;
    g.weight_nm = layer.weight_nm;
    if (layer.kind == LayerKind::FullyConnected) {
        g.input = Shape{input.n, input.per_image(), 1, 1};
        return g;
    }
    g.input = input;
    g.groups = layer.conv.groups;
    g.window = layer.conv.window;
    return g;
}

}  // namespace npu

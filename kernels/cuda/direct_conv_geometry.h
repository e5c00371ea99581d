#pragma once
// A DirectConvShape as the CPU reference sees it (host only: the reference checks the kernels).
#include "kernels/cuda/direct_conv.h"
#include "kernels/model/conv_geometry.h"

namespace npu {

inline ConvGeometry conv_geometry(const DirectConvShape& s) {
    ConvGeometry g;
    g.input = Shape{s.n, s.c, s.h, s.w};
    g.output = Shape{s.n, s.f, s.oh, s.ow};
    g.groups = s.groups;
    g.window.kernel_h = s.kh, g.window.kernel_w = s.kw;
    g.window.stride_h = s.stride_h, g.window.stride_w = s.stride_w;
    g.window.pad_top = g.window.pad_bottom = s.pad_top;  // symmetric padding
    g.window.pad_left = g.window.pad_right = s.pad_left;
    g.window.dilation_h = s.dilation_h, g.window.dilation_w = s.dilation_w;
    return g;
}

// The direct convolution of a conv2d's (or an fc's: a 1x1 image) geometry; padding as its top
// and left (the kernels pad symmetrically).
inline DirectConvShape direct_shape(const ConvGeometry& g) {
    DirectConvShape s;
    s.n = g.input.n, s.c = g.input.c, s.h = g.input.h, s.w = g.input.w;
    s.f = g.output.c, s.oh = g.output.h, s.ow = g.output.w;
    s.kh = g.window.kernel_h, s.kw = g.window.kernel_w;
    s.stride_h = g.window.stride_h, s.stride_w = g.window.stride_w;
    s.pad_top = g.window.pad_top, s.pad_left = g.window.pad_left;
    s.dilation_h = g.window.dilation_h, s.dilation_w = g.window.dilation_w;
    s.groups = g.groups;
    return s;
}

}  // namespace npu

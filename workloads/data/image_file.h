#pragma once
// Images as a network's input: binary PGM and PPM (netpbm P5/P6, 8 or 16 bits) and PNG (libpng:
// gray, gray+alpha, RGB, RGBA, palette, 8 or 16 bits; alpha dropped), then resized and
// normalized to the model's input by the documented rule of to_network_input. Every malformed
// file is a WorkloadError naming the file.
#include <cstdint>
#include <string>
#include <vector>

#include "common/limits.h"

namespace npu {

struct Image {
    int64_t channels = 0, height = 0, width = 0;  // 1 (gray) or 3 (RGB)
    std::vector<float> values;                    // CHW, in [0, 1]
};

Image read_image_file(const std::string& path, const Limits& limits = Limits{});

// How pixels become input values: each channel c gets (pixel - mean[c]) / std[c], pixels in
// [0, 1]. One value applies to every channel. ImageNet models want mean 0.485,0.456,0.406 and
// std 0.229,0.224,0.225 (torchvision's transforms); the default leaves pixels in [0, 1].
struct InputNormalization {
    std::vector<float> mean{0.0f};
    std::vector<float> std{1.0f};
};

// The image as a CHW input of `channels` x `height` x `width`: resized with bilinear
// interpolation (pixel centres aligned, as torchvision's Resize without antialiasing), gray
// repeated to three channels or RGB averaged to one with the BT.601 luma weights, then
// normalized. A mean or std list of another length than 1 or `channels` is a UsageError.
std::vector<float> to_network_input(const Image& image, int64_t channels, int64_t height, int64_t width,
                                    const InputNormalization& normalization);

}  // namespace npu

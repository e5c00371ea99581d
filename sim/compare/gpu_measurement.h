#pragma once
// Measured GPU layer times and energies, as `npusim compare` reads them: the CSV that the
// PyTorch measurement script writes (tests/data/gpu/README.md: one row per conv or fc layer in
// model order, with its shape, time per call and energy per call).
#include <cstdint>
#include <string>
#include <vector>

namespace npu {

// What identifies a conv2d or fc layer across devices: its kind and shapes.
struct LayerShapeKey {
    std::string kind;                    // "conv" or "fc"
    std::vector<int64_t> input;          // conv: N, C, H, W; fc: N, features
    int64_t out = 0;                     // output channels or features
    int64_t kernel_h = 0, kernel_w = 0;  // conv only (0 for fc)
    int64_t stride_h = 0, stride_w = 0;
    int64_t pad_h = 0, pad_w = 0;  // top and left (symmetric padding)
    int64_t groups = 1;

    bool operator==(const LayerShapeKey& o) const;
    std::string text() const;  // "conv 1x64x56x56 -> 64, 3x3 /1 pad 1"
};

struct GpuLayerMeasurement {
    int64_t index = 0;  // the row's idx
    LayerShapeKey shape;
    int64_t macs = 0;
    double ms = 0.0;         // time per call
    double energy_uj = 0.0;  // board energy per call (idle power included)
    double avg_w = 0.0;
};

struct GpuMeasurement {
    std::string source;  // the file
    std::vector<GpuLayerMeasurement> layers;

    double total_ms() const;
    double total_energy_uj() const;
};

// The file format back (what `npusim gpu` writes); parse_gpu_csv reads it unchanged.
std::string gpu_csv(const GpuMeasurement& m);

// Throws WorkloadError naming the file, the line and the column of anything malformed.
GpuMeasurement read_gpu_csv(const std::string& path);
GpuMeasurement parse_gpu_csv(const std::string& text, const std::string& source);

}  // namespace npu

#pragma once
// The NPU against a GPU, layer by layer: every conv2d and fc layer of a simulated run matched by
// shape (kind, input, outputs, kernel, stride, padding, groups; in model order) to a measured GPU
// layer, with both devices' time, energy, share of peak, and the ratios. Layers left unmatched on
// either side are listed, never dropped.
#include <string>
#include <vector>

#include "sim/compare/gpu_measurement.h"
#include "sim/compare/gpu_spec.h"
#include "sim/runtime/run_result.h"

namespace npu {

struct DeviceFigures {
    double ms = 0.0;
    double mj = 0.0;
    double peak_fraction = 0.0;  // achieved MAC rate / the device's peak at its precision
    double ops_per_byte = 0.0;   // 2 x MACs / DRAM bytes (NPU: simulated; GPU: the compulsory bytes)
    double tops() const;         // achieved, for a layer of `macs`
    int64_t macs = 0;
};

struct ComparedLayer {
    std::string name;  // the NPU graph's layer
    LayerShapeKey shape;
    int64_t macs = 0;
    DeviceFigures npu, gpu;

    double speedup() const { return npu.ms > 0 ? gpu.ms / npu.ms : 0.0; }       // > 1: the NPU is faster
    double energy_ratio() const { return npu.mj > 0 ? gpu.mj / npu.mj : 0.0; }  // > 1: the NPU uses less
};

struct DeviceComparison {
    std::string design, gpu;  // names
    Precision npu_precision = Precision::Int8, gpu_precision = Precision::Fp16;
    double npu_peak_tops = 0.0, npu_dram_gbps = 0.0, gpu_peak_tops = 0.0, gpu_memory_gbps = 0.0;
    std::vector<ComparedLayer> layers;
    std::vector<std::string> npu_unmatched;  // "name: shape" of NPU conv/fc layers with no GPU row
    std::vector<std::string> gpu_unmatched;  // "row idx: shape" of GPU rows with no NPU layer
    // The NPU's other layers (pools, adds, softmax on the vector unit), not in the GPU file.
    double npu_other_ms = 0.0, npu_other_mj = 0.0;

    ComparedLayer total() const;  // the matched layers summed (peak fractions MAC-weighted)
};

// `graph`: the inference graph the run simulated (its layers' shapes).
DeviceComparison compare_devices(const RunResult& npu, const Graph& graph, Precision npu_precision,
                                 const GpuMeasurement& gpu, const GpuSpec& spec, Precision gpu_precision);

// A conv2d's or fc's shape key in the measurement files' terms; kind "" for other layers.
LayerShapeKey layer_shape_key(const Graph& graph, int layer);

}  // namespace npu

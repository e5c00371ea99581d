// Fuzz target: the model YAML loader and shape inference, then lowering the model to an NPU
// program for a small design (tiling, buffer plans, instruction counts).
#include "fuzz_common.h"
#include "sim/compiler/compiler.h"
#include "sim/config/arch_loader.h"
#include "sim/runtime/prepared_workload.h"
#include "workloads/model_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const npu::NpuConfig design =
        npu::load_design(std::string(NPUSIM_SOURCE_DIR) + "/configs/arch/tiny_4x4.yaml", npu::fuzz::energy_dir(),
                         npu::fuzz::small_limits());
    return npu::fuzz::run_guarded([&] {
        const npu::Graph g = npu::parse_model_yaml(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml",
                                                   npu::fuzz::small_limits());
        volatile int64_t sink = npu::total_macs(g) + npu::total_params(g);
        (void)sink;
        for (npu::Precision p : {npu::Precision::Int8, npu::Precision::Fp16}) {
            const npu::PreparedWorkload w = npu::prepare_workload(g, p, false, 1);
            npu::compile(w.model.graph, w.model.layers, design, p, npu::fuzz::small_limits());
        }
    });
}

// Fuzz target: the design YAML loader (configs/arch/*.yaml), then what a run derives from a design.
#include "arch/area_model.h"
#include "fuzz_common.h"
#include "sim/config/arch_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return npu::fuzz::run_guarded([&] {
        const npu::NpuConfig c = npu::parse_design(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml",
                                                   npu::fuzz::energy_dir(), npu::fuzz::small_limits());
        volatile double sink =
            npu::area_of(c).total_mm2() + c.peak_tops() + c.dram_bytes_per_cycle() + double(c.accumulator_depth());
        (void)sink;
    });
}

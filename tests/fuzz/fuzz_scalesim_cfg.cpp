// Fuzz target: SCALE-Sim v2 architecture configs (.cfg INI files) as npusim designs.
#include "fuzz_common.h"
#include "sim/config/scalesim_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return npu::fuzz::run_guarded([&] {
        npu::parse_scalesim_config(std::string(reinterpret_cast<const char*>(data), size), "fuzz.cfg",
                                   npu::fuzz::energy_dir(), npu::fuzz::small_limits());
    });
}

#pragma once
// Shared by the fuzz targets. The contract they check: any input either loads or raises an
// npu::Error (a one-line message naming the file and key). Any other exception escapes the
// target and counts as a crash, as do sanitizer reports, signals, leaks and timeouts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.h"
#include "common/limits.h"

#ifndef NPUSIM_SOURCE_DIR
#error "NPUSIM_SOURCE_DIR must be defined by the build"
#endif

namespace npu::fuzz {

inline std::string energy_dir() { return std::string(NPUSIM_SOURCE_DIR) + "/configs/energy"; }

// Smaller limits than the command line's, so that one input costs milliseconds and megabytes:
// the fuzzer looks for crashes, not for the largest model that fits.
inline const Limits& small_limits() {
    static const Limits limits = [] {
        Limits l;
        l.tensor_elements = 1000000;
        l.model_elements = 4000000;
        l.array_pes = 65536;
        l.sram_mib = 64;
        l.instructions = 20000;
        return l;
    }();
    return limits;
}

template <class Body>
int run_guarded(Body body) {
    try {
        body();
    } catch (const Error&) {
        // A clear rejection: what the loaders must do with bad input.
    }
    return 0;
}

}  // namespace npu::fuzz

// Fuzz target: SCALE-Sim v2 topology CSVs (conv and GEMM formats) and their npusim graphs.
#include "fuzz_common.h"
#include "workloads/import/scalesim_topology.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return npu::fuzz::run_guarded([&] {
        const npu::ScaleSimTopology t =
            npu::parse_scalesim_topology(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
        const npu::Graph g = npu::topology_graph(t, npu::fuzz::small_limits());
        volatile int64_t sink = npu::total_macs(g);
        (void)sink;
    });
}

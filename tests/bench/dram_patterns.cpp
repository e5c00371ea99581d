// Benchmark (not a test): what the banked DRAM model (arch/dram_timing) gives on the classic
// access patterns, per JEDEC preset, one channel, open page: a sequential read stream (achieved
// bandwidth against the bus's peak), independent random 64-byte reads (bandwidth with the
// scheduler's 32-request window), dependent random reads (a pointer chase: the average latency
// of one access, idle bank to data), and the model's own speed in bursts per second.
// Usage: npusim_bench_dram [path to configs/dram/jedec.yaml]
#include <fmt/format.h>

#include <chrono>
#include <random>
#include <string>

#include "arch/dram_timing.h"
#include "sim/config/dram_presets.h"

namespace {

constexpr uint64_t kSpan = uint64_t(1) << 30;  // random addresses within 1 GiB

void measure(const npu::DramPreset& p) {
    const int64_t burst = p.burst_bytes();
    const auto start = std::chrono::steady_clock::now();
    npu::BankedDramTiming stream(p, 1, npu::PagePolicy::Open);
    const int64_t stream_bytes = int64_t(64) << 20;
    stream.add(0, stream_bytes, false);
    const double stream_ns = stream.serve(0.0);
    std::mt19937_64 rng(1);
    std::uniform_int_distribution<uint64_t> address(0, kSpan / uint64_t(burst) - 1);
    npu::BankedDramTiming random(p, 1, npu::PagePolicy::Open);
    const int64_t random_bursts = 200000;
    for (int64_t i = 0; i < random_bursts; ++i) random.add(address(rng) * uint64_t(burst), burst, false);
    const double random_ns = random.serve(0.0);
    npu::BankedDramTiming chase(p, 1, npu::PagePolicy::Open);
    const int64_t hops = 20000;
    double now = 0.0;
    for (int64_t i = 0; i < hops; ++i) {
        chase.add(address(rng) * uint64_t(burst), burst, false);
        now = chase.serve(now);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double bursts = double(stream_bytes / burst + random_bursts + hops);
    const double peak = p.peak_gbps_per_channel();
    fmt::print("| {} | {:.1f} GB/s | {:.1f} GB/s ({:.1f}%) | {:.2f} GB/s ({:.1f}%) | {:.1f} ns | {:.1f} M/s |\n",
               p.name, peak, double(stream_bytes) / stream_ns, 100.0 * double(stream_bytes) / stream_ns / peak,
               double(random_bursts * burst) / random_ns, 100.0 * double(random_bursts * burst) / random_ns / peak,
               now / double(hops), bursts / seconds / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : std::string(NPUSIM_SOURCE_DIR) + "/configs/dram/jedec.yaml";
    try {
        fmt::print(
            "| preset (one channel) | peak | sequential reads | random 64 B reads | dependent random read | model "
            "speed |\n");
        fmt::print("|---|---|---|---|---|---|\n");
        for (const auto& [name, preset] : npu::load_dram_presets(path)) measure(preset);
    } catch (const std::exception& e) {
        fmt::print(stderr, "npusim_bench_dram: {}\n", e.what());
        return 1;
    }
    return 0;
}

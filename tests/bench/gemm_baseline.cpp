// Benchmark (not a test): the machine's plain one-thread float32 GEMM speed on a network's conv
// and fc layers, each as the M x K x N product an im2col conv is (M output pixels, K = C/groups x
// kh x kw, N = filters/groups, once per group and image), multiplied by Eigen. tools/bench.sh
// divides the simulator's figures by this time, so its ratios hold across machines.
// Built with -march=native where the compiler has it (the baseline is this machine's speed, and
// the binary links no other Eigen code whose instantiations it could clash with).
// Usage: npusim_bench_gemm_baseline [model] [repeats]
#include <fmt/format.h>
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>

#include "sim/config/data_paths.h"
#include "workloads/model_loader.h"
#include "workloads/zoo.h"

namespace {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct GemmShape {
    int64_t m, k, n, count;
};

std::vector<GemmShape> gemm_shapes(const npu::Graph& g) {
    std::vector<GemmShape> shapes;
    for (const npu::Layer& l : g.layers) {
        const npu::Shape& in = g.layers[size_t(l.inputs.empty() ? 0 : l.inputs[0])].output;
        if (l.kind == npu::LayerKind::Conv2d) {
            const int64_t groups = l.conv.groups;
            shapes.push_back({l.output.h * l.output.w, in.c / groups * l.conv.window.kernel_h * l.conv.window.kernel_w,
                              l.output.c / groups, groups * l.output.n});
        } else if (l.kind == npu::LayerKind::FullyConnected) {
            shapes.push_back({l.output.n, in.c * in.h * in.w, l.output.c, 1});
        }
    }
    return shapes;
}

}  // namespace

int main(int argc, char* argv[]) {
    const std::string model = argc > 1 ? argv[1] : "resnet50";
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    Eigen::setNbThreads(1);
    const npu::DataPaths paths = npu::DataPaths::locate(argv[0]);
    const std::vector<GemmShape> shapes =
        gemm_shapes(npu::load_model_file(npu::resolve_model(model, paths.models_dir())));
    double best = 1e30, macs = 0;
    volatile float sink = 0;  // keeps the products
    for (int r = 0; r < repeats; ++r) {
        macs = 0;
        double elapsed = 0;
        for (const GemmShape& s : shapes) {
            const Matrix a = Matrix::Random(s.m, s.k), b = Matrix::Random(s.k, s.n);
            Matrix c(s.m, s.n);
            const auto t0 = std::chrono::steady_clock::now();
            for (int64_t i = 0; i < s.count; ++i) c.noalias() = a * b;
            elapsed += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            macs += double(s.m * s.k * s.n * s.count);
            sink = sink + c(0, 0);
        }
        best = std::min(best, elapsed);
    }
    fmt::print(
        "float32 GEMM baseline: {} ({} layers as GEMMs, {:.2f} G MAC): {:.4f} s (best of {}), {:.1f} G MAC/s, "
        "one thread\n",
        model, shapes.size(), macs / 1e9, best, repeats, macs / best / 1e9);
    return 0;
}

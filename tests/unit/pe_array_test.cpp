#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "arch/gemm_datapath.h"
#include "arch/pe_array.h"
#include "arch/systolic_timing.h"

using namespace npu;

namespace {

const Dataflow kDataflows[] = {Dataflow::WeightStationary, Dataflow::OutputStationary, Dataflow::InputStationary};

// Records what an observer sees.
struct Recorder : PeObserver {
    std::vector<PeOutput> outputs;
    std::vector<std::string> phases;
    std::vector<std::vector<double>> stationary, vertical, horizontal;
    std::vector<std::vector<uint8_t>> vertical_valid, horizontal_valid;
    void on_cycle(const PeCycle& s) override {
        const size_t n = size_t(s.rows * s.cols);
        phases.push_back(s.phase);
        stationary.emplace_back(s.stationary, s.stationary + n);
        vertical.emplace_back(s.vertical, s.vertical + n);
        horizontal.emplace_back(s.horizontal, s.horizontal + n);
        vertical_valid.emplace_back(s.vertical_valid, s.vertical_valid + n);
        horizontal_valid.emplace_back(s.horizontal_valid, s.horizontal_valid + n);
    }
    void on_output(const PeOutput& o) override { outputs.push_back(o); }
};

// A GEMM as a 1x1 convolution over a 1 x K x 1 x M input box, so the fast datapath runs it.
isa::Gemm as_gemm(GemmDims d, bool accumulate) {
    isa::Gemm g;
    g.input.extent = {1, d.k, 1, d.m};
    g.input.tensor_h = 1;
    g.input.tensor_w = d.m;
    g.out_extent = {1, 1, d.m};
    g.channels = d.k;
    g.filters = d.n;
    g.channel_step = d.k;
    g.accumulate = accumulate;
    return g;
}

// Small integers that FP16 holds exactly, so int and float runs see the same values.
std::vector<int32_t> random_matrix(size_t count, std::mt19937& rng) {
    std::uniform_int_distribution<int> dist(-8, 8);
    std::vector<int32_t> v(count);
    for (int32_t& x : v) x = dist(rng);
    return v;
}

}  // namespace

TEST_CASE("ws 2x2: hand-worked cycle trace", "[pe][trace]") {
    // A = [1 2; 3 4], B = [5 6; 7 8]: C = [19 22; 43 50].
    const int32_t a[] = {1, 2, 3, 4}, b[] = {5, 6, 7, 8};
    int32_t c[4] = {0, 0, 0, 0};
    Recorder rec;
    PeArray pe(Dataflow::WeightStationary, {2, 2});
    // Preload 2 rows (cycles 0-1), then one fold of M + R + N - 2 = 4 cycles (2-5).
    REQUIRE(pe.run<int32_t>({2, 2, 2}, a, b, c, false, &rec) == 6);
    CHECK(rec.phases == std::vector<std::string>{"preload", "preload", "compute", "compute", "compute", "compute"});
    // Preload shifts B's rows in from the top: row 1 first, then row 0 above it.
    // Cycle 2 (t = 0): input 1 (m = 0, k = 0) enters PE(0,0); its partial sum is 1 x 5 = 5.
    CHECK(rec.horizontal[2][0] == 1);
    CHECK(rec.vertical[2][0] == 5);
    CHECK(rec.vertical_valid[2][2] == 0);  // nothing has reached row 1 yet
    // Cycle 3 (t = 1): PE(1,0) receives input 2 (m = 0, k = 1) and the 5 from above: 5 + 2 x 7.
    CHECK(rec.horizontal[3][2] == 2);
    CHECK(rec.vertical[3][2] == 19);
    CHECK(rec.vertical[3][0] == 15);  // PE(0,0): input 3 (m = 1) x 5
    CHECK(rec.vertical[3][1] == 6);   // PE(0,1): input 1 moved right, x 6
    // Outputs leave the bottom row: (m, n, value, cycle).
    REQUIRE(rec.outputs.size() == 4);
    CHECK((rec.outputs[0].m == 0 && rec.outputs[0].n == 0 && rec.outputs[0].value == 19 && rec.outputs[0].cycle == 3));
    CHECK((rec.outputs[1].m == 1 && rec.outputs[1].n == 0 && rec.outputs[1].value == 43 && rec.outputs[1].cycle == 4));
    CHECK((rec.outputs[2].m == 0 && rec.outputs[2].n == 1 && rec.outputs[2].value == 22 && rec.outputs[2].cycle == 4));
    CHECK((rec.outputs[3].m == 1 && rec.outputs[3].n == 1 && rec.outputs[3].value == 50 && rec.outputs[3].cycle == 5));
    CHECK(c[0] == 19);
    CHECK(c[3] == 50);
}

TEST_CASE("os 2x2: hand-worked cycle trace", "[pe][trace]") {
    const int32_t a[] = {1, 2, 3, 4}, b[] = {5, 6, 7, 8};
    int32_t c[4] = {0, 0, 0, 0};
    Recorder rec;
    PeArray pe(Dataflow::OutputStationary, {2, 2});
    // Compute K + M + N - 2 = 4 cycles, then drain R = 2 cycles.
    REQUIRE(pe.run<int32_t>({2, 2, 2}, a, b, c, false, &rec) == 6);
    CHECK(rec.phases == std::vector<std::string>{"compute", "compute", "compute", "compute", "drain", "drain"});
    // Cycle 0: A[0][0] = 1 meets B[0][0] = 5 in PE(0,0).
    CHECK(rec.stationary[0][0] == 5);
    // Cycle 1: PE(0,0) adds 2 x 7 (k = 1); PE(0,1) gets 1 x 6; PE(1,0) gets 3 x 5.
    CHECK(rec.stationary[1][0] == 19);
    CHECK(rec.stationary[1][1] == 6);
    CHECK(rec.stationary[1][2] == 15);
    CHECK(rec.stationary[1][3] == 0);
    // Cycle 3: the last pair (4 x 8) reaches PE(1,1).
    CHECK(rec.stationary[3][3] == 50);
    // The drain shifts results down: the bottom row leaves first.
    REQUIRE(rec.outputs.size() == 4);
    CHECK((rec.outputs[0].m == 1 && rec.outputs[0].n == 0 && rec.outputs[0].value == 43 && rec.outputs[0].cycle == 4));
    CHECK((rec.outputs[1].m == 1 && rec.outputs[1].n == 1 && rec.outputs[1].value == 50 && rec.outputs[1].cycle == 4));
    CHECK((rec.outputs[2].m == 0 && rec.outputs[2].n == 0 && rec.outputs[2].value == 19 && rec.outputs[2].cycle == 5));
    CHECK((rec.outputs[3].m == 0 && rec.outputs[3].n == 1 && rec.outputs[3].value == 22 && rec.outputs[3].cycle == 5));
}

TEST_CASE("is 2x2: hand-worked cycle trace", "[pe][trace]") {
    // Inputs stationary: PE(k, m) holds A[m][k]; filter n's weights stream in, row k at n + k.
    const int32_t a[] = {1, 2, 3, 4}, b[] = {5, 6, 7, 8};
    int32_t c[4] = {0, 0, 0, 0};
    Recorder rec;
    PeArray pe(Dataflow::InputStationary, {2, 2});
    REQUIRE(pe.run<int32_t>({2, 2, 2}, a, b, c, false, &rec) == 6);
    CHECK(rec.phases[0] == "preload");
    // After the preload PE(0,0) holds A[0][0] = 1, PE(0,1) A[1][0] = 3, PE(1,0) A[0][1] = 2.
    CHECK(rec.stationary[2][0] == 1);
    CHECK(rec.stationary[2][1] == 3);
    CHECK(rec.stationary[2][2] == 2);
    CHECK(rec.stationary[2][3] == 4);
    // Cycle 2: weight B[0][0] = 5 (n = 0, k = 0) enters PE(0,0): 1 x 5.
    CHECK(rec.horizontal[2][0] == 5);
    CHECK(rec.vertical[2][0] == 5);
    // Cycle 3: PE(1,0) adds 2 x B[1][0] = 14: output (m = 0, n = 0) = 19 leaves.
    REQUIRE(rec.outputs.size() == 4);
    CHECK((rec.outputs[0].m == 0 && rec.outputs[0].n == 0 && rec.outputs[0].value == 19 && rec.outputs[0].cycle == 3));
    CHECK(c[1] == 22);
    CHECK(c[2] == 43);
}

TEST_CASE("3x3 arrays on the seed example: cycles and the first output, per dataflow", "[pe][trace]") {
    // The seed: M = 9 output pixels, K = 9 (3x3 window), N = 1 filter. Row m of A is the patch
    // under output m; the first patch is [1 2 3; 2 1 0; 3 0 1], the kernel [1 0 1; 1 0 1; 0 1 0].
    const int32_t image[5][5] = {{1, 2, 3, 1, 0}, {2, 1, 0, 2, 1}, {3, 0, 1, 1, 2}, {1, 2, 0, 3, 1}, {0, 1, 2, 1, 3}};
    const int32_t kernel[9] = {1, 0, 1, 1, 0, 1, 0, 1, 0};
    std::vector<int32_t> a(81);
    for (int m = 0; m < 9; ++m)
        for (int k = 0; k < 9; ++k) a[size_t(m * 9 + k)] = image[m / 3 + k / 3][m % 3 + k % 3];
    struct Expect {
        Dataflow d;
        int64_t cycles;
        PeOutput first;   // the first result to leave the array
        int64_t outputs;  // results leaving the array in all
    };
    // ws: preload 3, then 3 row folds of 9 + 3 + 1 - 2 = 11: 36. The first partial sum (fold 0,
    //     rows 0-2: 1*1 + 2*0 + 3*1 = 4) reaches the bottom at cycle 3 + 0 + 2 = 5. Each fold
    //     sends 9 partial sums out: 27.
    // os: 3 row folds of 9 + 3 + 1 - 2 = 11 (each hides the previous drain) + the last drain 3:
    //     36. Fold 0's results move into the drain registers after cycle 10; at cycle 11 the
    //     bottom row, output pixel 2 (= 5), leaves first. 9 results.
    // is: preload 3 + 9 folds (3 of K x 3 of M) x (1 + 3 + 3 - 2) = 48. Column 0 holds pixel 0:
    //     its partial sum over rows 0-2 (4 again) leaves at cycle 3 + 0 + 2 = 5. 27 partials.
    for (const Expect e : {Expect{Dataflow::WeightStationary, 36, {5, 0, 0, 4}, 27},
                           Expect{Dataflow::OutputStationary, 36, {11, 2, 0, 5}, 9},
                           Expect{Dataflow::InputStationary, 48, {5, 0, 0, 4}, 27}}) {
        INFO(dataflow_name(e.d));
        std::vector<int32_t> c(9, 0);
        Recorder rec;
        PeArray pe(e.d, {3, 3});
        CHECK(pe.run<int32_t>({9, 9, 1}, a.data(), kernel, c.data(), false, &rec) == e.cycles);
        CHECK(gemm_cycles(e.d, {9, 9, 1}, {3, 3}).count() == e.cycles);
        CHECK(int64_t(rec.phases.size()) == e.cycles);
        REQUIRE(int64_t(rec.outputs.size()) == e.outputs);
        CHECK(rec.outputs[0].cycle == e.first.cycle);
        CHECK(rec.outputs[0].m == e.first.m);
        CHECK(rec.outputs[0].value == e.first.value);
        CHECK(c == std::vector<int32_t>{6, 7, 5, 8, 4, 7, 6, 8, 5});
    }
}

TEST_CASE("detailed PE grid equals the fast formula and the fast datapath on a table of GEMMs", "[pe][equivalence]") {
    std::mt19937 rng(7);
    const ArrayShape arrays[] = {{4, 4}, {3, 5}, {1, 1}, {8, 2}};
    for (const ArrayShape& arr : arrays)
        for (Dataflow d : kDataflows) {
            // Smaller than, equal to, one more than, and not multiples of each array dimension;
            // 1 x N and N x 1 shapes are among them.
            const int64_t rows = arr.rows, cols = arr.cols;
            const std::vector<int64_t> sizes = {1, rows, cols, rows + 1, 2 * cols + 3, 7};
            for (int64_t m : sizes)
                for (int64_t k : sizes)
                    for (int64_t n : sizes)
                        for (bool accumulate : {false, true}) {
                            INFO(dataflow_name(d) << " " << rows << "x" << cols << " M=" << m << " K=" << k
                                                  << " N=" << n << " acc=" << accumulate);
                            const GemmDims dims{m, k, n};
                            const std::vector<int32_t> a = random_matrix(size_t(m * k), rng);
                            const std::vector<int32_t> b = random_matrix(size_t(k * n), rng);
                            const std::vector<int32_t> start = random_matrix(size_t(m * n), rng);
                            // INT8 path: detailed vs exact product.
                            std::vector<int32_t> c = start;
                            PeArray pe(d, arr);
                            REQUIRE(pe.run<int32_t>(dims, a.data(), b.data(), c.data(), accumulate) ==
                                    gemm_cycles(d, dims, arr).count());
                            for (int64_t i = 0; i < m; ++i)
                                for (int64_t j = 0; j < n; ++j) {
                                    int32_t sum = accumulate ? start[size_t(i * n + j)] : 0;
                                    for (int64_t x = 0; x < k; ++x) sum += a[size_t(i * k + x)] * b[size_t(x * n + j)];
                                    REQUIRE(c[size_t(i * n + j)] == sum);
                                }
                            // FP16 path: the detailed grid and the fast datapath agree bit for bit.
                            const isa::Gemm g = as_gemm(dims, accumulate);
                            std::vector<Half> tile(size_t(k * m)), weights(size_t(n * k));
                            std::vector<float> af(a.size()), bf(b.size());
                            for (int64_t i = 0; i < m; ++i)
                                for (int64_t x = 0; x < k; ++x) {
                                    const float v = float(a[size_t(i * k + x)]) * 0.37f;
                                    tile[size_t(x * m + i)] = float_to_half(v);
                                    af[size_t(i * k + x)] = half_to_float(tile[size_t(x * m + i)]);
                                }
                            for (int64_t x = 0; x < k; ++x)
                                for (int64_t j = 0; j < n; ++j) {
                                    const float v = float(b[size_t(x * n + j)]) * 1.13f;
                                    weights[size_t(j * k + x)] = float_to_half(v);
                                    bf[size_t(x * n + j)] = half_to_float(weights[size_t(j * k + x)]);
                                }
                            std::vector<float> slow(start.begin(), start.end()), fast = slow;
                            PeArray pf(d, arr);
                            pf.run<float>(dims, af.data(), bf.data(), slow.data(), accumulate);
                            gemm_float(g, reinterpret_cast<const uint8_t*>(tile.data()),
                                       reinterpret_cast<const uint8_t*>(weights.data()), fast.data(),
                                       d == Dataflow::OutputStationary ? k : arr.rows, Precision::Fp16);
                            REQUIRE(slow == fast);
                        }
        }
}

TEST_CASE("depthwise and batched convolutions: detailed equals fast", "[pe][equivalence]") {
    // A depthwise 3x3 layer is, per channel, M = H*W pixels, K = 9, N = 1; batch multiplies M.
    std::mt19937 rng(3);
    for (Dataflow d : kDataflows)
        for (int64_t batch : {1, 3}) {
            const GemmDims dims{batch * 6 * 6, 9, 1};
            const std::vector<int32_t> a = random_matrix(size_t(dims.m * dims.k), rng);
            const std::vector<int32_t> b = random_matrix(size_t(dims.k), rng);
            std::vector<int32_t> c(size_t(dims.m), -1);
            PeArray pe(d, {4, 4});
            CHECK(pe.run<int32_t>(dims, a.data(), b.data(), c.data(), false) == gemm_cycles(d, dims, {4, 4}).count());
            // The values too: every output pixel is its 9-tap dot product.
            for (int64_t m = 0; m < dims.m; ++m) {
                int32_t sum = 0;
                for (int64_t k = 0; k < dims.k; ++k) sum += a[size_t(m * dims.k + k)] * b[size_t(k)];
                INFO(dataflow_name(d) << " batch " << batch << " pixel " << m);
                CHECK(c[size_t(m)] == sum);
            }
        }
}

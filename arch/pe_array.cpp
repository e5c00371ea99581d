#include "arch/pe_array.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace npu {
namespace {

// The folds of one GEMM in execution order: column folds outer, row folds inner.
struct Fold {
    int64_t row0, rows, col0, cols;
};

std::vector<Fold> fold_order(int64_t row_dim, int64_t col_dim, ArrayShape a) {
    std::vector<Fold> folds;
    for (int64_t c0 = 0; c0 < col_dim; c0 += a.cols)
        for (int64_t r0 = 0; r0 < row_dim; r0 += a.rows)
            folds.push_back({r0, std::min(a.rows, row_dim - r0), c0, std::min(a.cols, col_dim - c0)});
    return folds;
}

// Register files of the grid, and their view for observers (converted to double on demand).
template <class T>
struct Grid {
    int64_t rows, cols;
    std::vector<T> value;
    std::vector<uint8_t> valid;
    std::vector<int64_t> tag;  // only kept when observed
    std::vector<double> view;

    Grid(int64_t r, int64_t c, bool tagged)
        : rows(r), cols(c), value(size_t(r * c), T(0)), valid(size_t(r * c), 0), tag(tagged ? size_t(r * c) : 0, -1) {}
    size_t at(int64_t r, int64_t c) const { return size_t(r * cols + c); }
    // Moves every row one PE to the right; column 0 is left for the caller to fill.
    void shift_right() {
        for (int64_t r = 0; r < rows; ++r) {
            const size_t row = at(r, 0);
            std::memmove(&value[row + 1], &value[row], size_t(cols - 1) * sizeof(T));
            std::memmove(&valid[row + 1], &valid[row], size_t(cols - 1));
            if (!tag.empty()) std::memmove(&tag[row + 1], &tag[row], size_t(cols - 1) * sizeof(int64_t));
        }
    }
    // Moves every column one PE down; row 0 is left for the caller to fill.
    void shift_down() {
        const size_t n = size_t((rows - 1) * cols);
        std::memmove(&value[size_t(cols)], &value[0], n * sizeof(T));
        std::memmove(&valid[size_t(cols)], &valid[0], n);
        if (!tag.empty()) std::memmove(&tag[size_t(cols)], &tag[0], n * sizeof(int64_t));
    }
    void set(size_t i, T v, bool ok, int64_t t) {
        value[i] = ok ? v : T(0);
        valid[i] = ok;
        if (!tag.empty()) tag[i] = ok ? t : -1;
    }
    // Drops whatever is still in flight (operands passing through unused PEs after a fold).
    void clear() {
        std::fill(value.begin(), value.end(), T(0));
        std::fill(valid.begin(), valid.end(), 0);
        std::fill(tag.begin(), tag.end(), -1);
    }
    bool any_valid(int64_t row_begin, int64_t row_end) const {
        const size_t b = at(row_begin, 0), e = at(row_end, 0);
        return std::any_of(valid.begin() + long(b), valid.begin() + long(e), [](uint8_t v) { return v != 0; });
    }
    const double* doubles() {
        view.assign(value.begin(), value.end());
        return view.data();
    }
};

template <class T>
void write_result(T& slot, T value, bool overwrite) {
    slot = overwrite ? value : slot + value;
}

// What observers see after a clock: the four register grids and the fold being computed.
template <class T>
void report_cycle(PeObserver& obs, int64_t cycle, const char* phase, size_t f, const std::vector<Fold>& folds,
                  Grid<T>& horizontal, Grid<T>& vertical, Grid<T>& stationary, Grid<T>& shadow) {
    const Fold& fd = folds[std::min(f, folds.size() - 1)];
    PeCycle s;
    s.cycle = cycle;
    s.phase = phase;
    s.rows = horizontal.rows;
    s.cols = horizontal.cols;
    s.fold = int64_t(f);
    s.row_base = fd.row0;
    s.col_base = fd.col0;
    s.rows_used = fd.rows;
    s.cols_used = fd.cols;
    s.horizontal = horizontal.doubles();
    s.horizontal_valid = horizontal.valid.data();
    s.horizontal_tag = horizontal.tag.data();
    s.vertical = vertical.doubles();
    s.vertical_valid = vertical.valid.data();
    s.vertical_tag = vertical.tag.data();
    s.stationary = stationary.doubles();
    s.stationary_valid = stationary.valid.data();
    s.shadow = shadow.doubles();
    s.shadow_valid = shadow.valid.data();
    obs.on_cycle(s);
}

// A row of PEs adds its products to the partial sums from the row above (none above row 0).
// The loop is inlined into functions cloned for AVX2 without FMA: the products and sums round
// as the scalar code's do, the vectors are wider.
template <class T>
[[gnu::always_inline]] inline void add_products_loop(T* out, const T* above, const T* x, const T* y, int64_t n) {
    if (above)
        for (int64_t c = 0; c < n; ++c) out[c] = above[c] + x[c] * y[c];
    else
        for (int64_t c = 0; c < n; ++c) out[c] = T(0) + x[c] * y[c];
}
[[gnu::target_clones("avx2", "default")]] void add_products(int32_t* out, const int32_t* above, const int32_t* x,
                                                            const int32_t* y, int64_t n) {
    add_products_loop(out, above, x, y, n);
}
[[gnu::target_clones("avx2", "default")]] void add_products(float* out, const float* above, const float* x,
                                                            const float* y, int64_t n) {
    add_products_loop(out, above, x, y, n);
}

// One clock of a streaming dataflow, a row at a time from the bottom (so that each row's sums
// read the row above as it was before the clock): the row's streamed operands move one PE to the
// right and `inject(k, value, tag)` gives the one entering at its left edge; then the fold's
// rows add their PEs' products to the partial sums coming down, and the rows below the fold
// pass them through. The state after the clock is that of shifting the whole grid, then
// stepping the sums; one pass over each row keeps it in cache.
template <class T, class Inject>
void stream_cycle(Grid<T>& h, Grid<T>& p, const Grid<T>& w, const Fold& fd, bool tagged, Inject inject) {
    const int64_t R = p.rows, C = p.cols;
    for (int64_t k = R - 1; k >= 0; --k) {
        const size_t row = h.at(k, 0);
        std::memmove(&h.value[row + 1], &h.value[row], size_t(C - 1) * sizeof(T));
        std::memmove(&h.valid[row + 1], &h.valid[row], size_t(C - 1));
        if (tagged) std::memmove(&h.tag[row + 1], &h.tag[row], size_t(C - 1) * sizeof(int64_t));
        T entering{};
        int64_t tag = -1;
        const bool ok = inject(k, entering, tag);
        h.set(row, entering, ok, tag);
        T* pk = &p.value[row];
        uint8_t* pvk = &p.valid[row];
        if (k < fd.rows) {
            add_products(pk, k > 0 ? pk - C : nullptr, &h.value[row], &w.value[row], C);
            std::memcpy(pvk, &h.valid[row], size_t(fd.cols));
            std::memset(pvk + fd.cols, 0, size_t(C - fd.cols));
            if (tagged)
                for (int64_t c = 0; c < C; ++c) p.tag[row + size_t(c)] = pvk[c] ? h.tag[row + size_t(c)] : -1;
        } else {
            std::memcpy(pk, pk - C, size_t(C) * sizeof(T));
            std::memcpy(pvk, pvk - C, size_t(C));
            if (tagged) std::memcpy(&p.tag[row], &p.tag[row - size_t(C)], size_t(C) * sizeof(int64_t));
        }
    }
}

// One cycle of the operands in the output-stationary dataflow: A enters from the left (row i
// delayed by i cycles), B from the top (column j delayed by j).
template <class T>
void inject_operands(Grid<T>& left, Grid<T>& top, const T* a, const T* b, GemmDims g, const Fold& fd, int64_t t) {
    const int64_t R = left.rows, C = left.cols;
    left.shift_right();
    for (int64_t i = 0; i < R; ++i) {
        const int64_t k = t - i;
        const bool inject = i < fd.rows && k >= 0 && k < g.k;
        left.set(left.at(i, 0), inject ? a[(fd.row0 + i) * g.k + k] : T(0), inject, k);
    }
    top.shift_down();
    for (int64_t j = 0; j < C; ++j) {
        const int64_t k = t - j;
        const bool inject = j < fd.cols && k >= 0 && k < g.k;
        top.set(top.at(0, j), inject ? b[k * g.n + fd.col0 + j] : T(0), inject, k);
    }
}

// A finished fold's sums move into the drain registers; the sum registers start from zero.
template <class T>
void load_drain(Grid<T>& sum, Grid<T>& drain, const Fold& fd) {
    const int64_t R = sum.rows, C = sum.cols;
    for (int64_t i = 0; i < R; ++i)
        for (int64_t j = 0; j < C; ++j) {
            const size_t x = sum.at(i, j);
            drain.set(x, sum.value[x], i < fd.rows && j < fd.cols, -1);
            sum.value[x] = T(0);
        }
}

// One preload step: shadow rows shift down, the fold's row (rows-1-step) enters at the top.
template <class T, class Stationary>
void preload_row(Grid<T>& shadow, const Fold& fd, int64_t step, const Stationary& stationary) {
    shadow.shift_down();
    const int64_t k = fd.rows - 1 - step;
    for (int64_t c = 0; c < shadow.cols; ++c) {
        const bool used = c < fd.cols;
        shadow.set(shadow.at(0, c), used ? stationary(fd.row0 + k, fd.col0 + c) : T(0), used, 0);
    }
}

// The array switches to the preloaded weights; rows beyond the fold are bypassed.
template <class T>
void switch_to_preloaded(Grid<T>& w, const Grid<T>& shadow, const Fold& fd) {
    w.value = shadow.value;
    w.valid = shadow.valid;
    for (int64_t r = fd.rows; r < w.rows; ++r)
        for (int64_t c = 0; c < w.cols; ++c) w.valid[w.at(r, c)] = 0;
}

// Every PE multiplies the pair it just received (invalid registers hold zero); returns the
// number of valid pairs, the MACs done this cycle. Cloned as add_products is.
template <class T>
[[gnu::always_inline]] inline int64_t multiply_loop(T* s, const T* l, const T* u, const uint8_t* lv, const uint8_t* uv,
                                                    int64_t n) {
    int64_t pairs = 0;
    for (int64_t i = 0; i < n; ++i) {
        s[i] += l[i] * u[i];
        pairs += lv[i] & uv[i];
    }
    return pairs;
}
[[gnu::target_clones("avx2", "default")]] int64_t multiply_into(int32_t* s, const int32_t* l, const int32_t* u,
                                                                const uint8_t* lv, const uint8_t* uv, int64_t n) {
    return multiply_loop(s, l, u, lv, uv, n);
}
[[gnu::target_clones("avx2", "default")]] int64_t multiply_into(float* s, const float* l, const float* u,
                                                                const uint8_t* lv, const uint8_t* uv, int64_t n) {
    return multiply_loop(s, l, u, lv, uv, n);
}

template <class T>
int64_t multiply_pairs(Grid<T>& sum, const Grid<T>& left, const Grid<T>& top) {
    return multiply_into(sum.value.data(), left.value.data(), top.value.data(), left.valid.data(), top.valid.data(),
                         sum.rows * sum.cols);
}

}  // namespace

PeArray::PeArray(Dataflow dataflow, ArrayShape shape) : m_dataflow(dataflow), m_shape(shape) {}

template <class T>
int64_t PeArray::run(GemmDims dims, const T* a, const T* b, T* acc, bool accumulate, PeObserver* observer) {
    if (dims.macs() == 0) return 0;
    if (m_dataflow == Dataflow::OutputStationary) return run_output_stationary(dims, a, b, acc, accumulate, observer);
    return run_stream(dims, a, b, acc, accumulate, observer);
}

template <class T>
int64_t PeArray::run_stream(GemmDims g, const T* a, const T* b, T* acc, bool accumulate, PeObserver* obs) {
    const bool ws = m_dataflow == Dataflow::WeightStationary;
    const int64_t R = m_shape.rows, C = m_shape.cols;
    const int64_t col_dim = ws ? g.n : g.m;     // what the columns hold
    const int64_t stream_len = ws ? g.m : g.n;  // vectors streamed per fold
    // Stationary S[k][c], streamed V[s][k], result (s, c) -> acc.
    auto stationary = [&](int64_t k, int64_t c) { return ws ? b[k * g.n + c] : a[c * g.k + k]; };
    auto streamed = [&](int64_t s, int64_t k) { return ws ? a[s * g.k + k] : b[k * g.n + s]; };
    auto result = [&](int64_t s, int64_t c) -> T& { return ws ? acc[s * g.n + c] : acc[c * g.n + s]; };

    const bool tagged = obs != nullptr;
    Grid<T> h(R, C, tagged), p(R, C, tagged), w(R, C, false), shadow(R, C, false);
    const std::vector<Fold> folds = fold_order(g.k, col_dim, m_shape);
    int64_t cycle = 0;

    auto notify = [&](const char* phase, size_t f) {
        ++cycle;
        m_pe_updates += R * C;
        if (obs) report_cycle(*obs, cycle - 1, phase, f, folds, h, p, w, shadow);
    };
    auto preload_step = [&](const Fold& fd, int64_t step) { preload_row(shadow, fd, step, stationary); };

    for (int64_t step = 0; step < folds[0].rows; ++step) {
        preload_step(folds[0], step);
        notify("preload", 0);
    }
    for (size_t f = 0; f < folds.size(); ++f) {
        const Fold& fd = folds[f];
        switch_to_preloaded(w, shadow, fd);
        const Fold* next = f + 1 < folds.size() ? &folds[f + 1] : nullptr;
        const bool overwrite = fd.row0 == 0 && !accumulate;
        int64_t exits = 0;
        for (int64_t t = 0;; ++t) {
            if (next && t < next->rows) preload_step(*next, t);  // hidden behind this fold
            stream_cycle(h, p, w, fd, tagged, [&](int64_t k, T& value, int64_t& tag) {
                const int64_t s = t - k;
                const bool inject = k < fd.rows && s >= 0 && s < stream_len;
                if (inject) value = streamed(s, fd.row0 + k), tag = s;
                return inject;
            });
            // The bottom row's partial sums leave into the accumulator.
            for (int64_t c = 0; c < fd.cols; ++c) {
                const size_t i = p.at(R - 1, c);
                if (!p.valid[i]) continue;
                const int64_t s = t - (R - 1) - c;  // the vector that entered row 0 at cycle s
                write_result(result(s, fd.col0 + c), p.value[i], overwrite);
                ++exits;
                if (obs) obs->on_output({cycle, ws ? s : fd.col0 + c, ws ? fd.col0 + c : s, double(p.value[i])});
            }
            notify("compute", f);
            const bool all_injected = t >= stream_len + fd.rows - 2;
            if (all_injected && !p.any_valid(0, R - 1)) break;
        }
        if (exits != stream_len * fd.cols) throw std::logic_error("PeArray: a fold lost partial sums");
        h.clear();  // inputs still crossing unused columns have no further effect
    }
    return cycle;
}

template <class T>
int64_t PeArray::run_output_stationary(GemmDims g, const T* a, const T* b, T* acc, bool accumulate, PeObserver* obs) {
    const int64_t R = m_shape.rows, C = m_shape.cols;
    const bool tagged = obs != nullptr;
    Grid<T> left(R, C, tagged), top(R, C, tagged), sum(R, C, false), drain(R, C, false);
    const std::vector<Fold> folds = fold_order(g.m, g.n, m_shape);
    int64_t cycle = 0;
    // The fold whose results are in the drain registers, and how far they have moved.
    int64_t drain_m0 = 0, drain_n0 = 0, drain_shifts = 0;
    bool draining = false;

    auto notify = [&](const char* phase, size_t f) {
        ++cycle;
        m_pe_updates += R * C;
        if (obs) report_cycle(*obs, cycle - 1, phase, f, folds, left, top, sum, drain);
    };
    // One drain cycle: the bottom row leaves into the accumulator, the rest moves down a row.
    auto drain_step = [&]() {
        for (int64_t c = 0; c < C; ++c) {
            const size_t i = drain.at(R - 1, c);
            if (!drain.valid[i]) continue;
            const int64_t m = drain_m0 + (R - 1 - drain_shifts), n = drain_n0 + c;
            write_result(acc[m * g.n + n], drain.value[i], !accumulate);
            if (obs) obs->on_output({cycle, m, n, double(drain.value[i])});
        }
        drain.shift_down();
        for (int64_t c = 0; c < C; ++c) drain.set(drain.at(0, c), T(0), false, -1);
        ++drain_shifts;
        draining = drain.any_valid(0, R);
    };

    for (size_t f = 0; f < folds.size(); ++f) {
        const Fold& fd = folds[f];
        const int64_t expected = fd.rows * fd.cols * g.k;
        int64_t macs = 0;
        for (int64_t i = 0; i < R; ++i)
            for (int64_t j = 0; j < C; ++j) sum.valid[sum.at(i, j)] = i < fd.rows && j < fd.cols;
        for (int64_t t = 0; macs < expected; ++t) {
            inject_operands(left, top, a, b, g, fd, t);
            macs += multiply_pairs(sum, left, top);
            if (draining) drain_step();
            notify("compute", f);
        }
        left.clear();  // operands still crossing unused PEs have no further effect
        top.clear();
        // Results move into the drain registers once the previous fold has left them.
        while (draining) {
            drain_step();
            notify("stall", f);
        }
        load_drain(sum, drain, fd);
        drain_m0 = fd.row0;
        drain_n0 = fd.col0;
        drain_shifts = 0;
        draining = true;
    }
    while (draining) {
        drain_step();
        notify("drain", folds.size() - 1);
    }
    return cycle;
}

template int64_t PeArray::run<int32_t>(GemmDims, const int32_t*, const int32_t*, int32_t*, bool, PeObserver*);
template int64_t PeArray::run<float>(GemmDims, const float*, const float*, float*, bool, PeObserver*);

}  // namespace npu

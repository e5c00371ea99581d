#include <systemc>

#include <fmt/format.h>

#include <unistd.h>

#include <filesystem>
#include <memory>

#include "common/clock.h"
#include "common/error.h"
#include "common/file_text.h"
#include "sim/explain/explain.h"

namespace npu {
namespace {

// Names of the three moving or resting values of a PE, per dataflow.
struct RegisterNames {
    const char* horizontal;
    const char* vertical;
    const char* stationary;
    const char* shadow;
};

RegisterNames register_names(Dataflow d) {
    switch (d) {
        case Dataflow::WeightStationary: return {"input", "psum", "weight", "next_weight"};
        case Dataflow::InputStationary: return {"weight", "psum", "input", "next_input"};
        case Dataflow::OutputStationary: return {"input", "weight", "acc", "drain"};
    }
    return {"h", "v", "s", "shadow"};
}

std::string pe_scope(int64_t row, int64_t col) { return fmt::format("pe_r{}_c{}", row, col); }

// A GTKWave save file beside the VCD that opens it with the useful signals shown: the cycle, each
// output column, then every PE of the first rows and columns (at most 4 x 4) with its stationary
// value and partial sum. GTKWave's trace flags (analyzer.h): 0x4 decimal, 0x8 binary, 0x20
// right-justified, 0x400 signed.
std::string gtkwave_save(const std::string& vcd_path, Dataflow dataflow, ArrayShape shape, bool integer) {
    const RegisterNames names = register_names(dataflow);
    const char* value_flags = integer ? "@424" : "@24";
    std::string s = fmt::format(
        "[*] npusim explain: open with gtkwave {} <this file>\n[dumpfile] \"{}\"\n"
        "[timestart] 0\n[size] 1400 900\n[treeopen] SystemC.\n@24\nSystemC.cycle[63:0]\n",
        vcd_path, vcd_path);
    auto value = [&](const std::string& name) {
        return fmt::format("{}\nSystemC.{}{}\n", value_flags, name, integer ? "[31:0]" : "");
    };
    for (int64_t c = 0; c < shape.cols; ++c)
        s += fmt::format("@28\nSystemC.out_c{}.valid\n", c) + value(fmt::format("out_c{}.value", c));
    for (int64_t r = 0; r < std::min<int64_t>(shape.rows, 4); ++r)
        for (int64_t c = 0; c < std::min<int64_t>(shape.cols, 4); ++c)
            s += value(pe_scope(r, c) + "." + names.stationary) + value(pe_scope(r, c) + "." + names.vertical);
    return s;
}

// Runs the grid inside one SystemC thread, one clock per cycle, so sc_trace sees every PE
// register change at its cycle.
class PeArrayTracer : public sc_core::sc_module, public PeObserver {
public:
    SC_HAS_PROCESS(PeArrayTracer);
    PeArrayTracer(sc_core::sc_module_name name, const ExplainProblem& p, Dataflow d, ArrayShape shape, double period_ns,
                  sc_core::sc_trace_file* vcd, ExplainLog& log)
        : sc_module(name),
          m_problem(p),
          m_dataflow(d),
          m_shape(shape),
          m_period(period_ns, sc_core::SC_NS),
          m_log(log) {
        const size_t n = size_t(shape.rows * shape.cols);
        for (auto* v : {&m_h, &m_v, &m_s, &m_sh}) v->reset(new double[n]());
        for (auto* v : {&m_hi, &m_vi, &m_si, &m_shi}) v->reset(new int32_t[n]());
        m_out_int.reset(new int32_t[size_t(shape.cols)]());
        for (auto* v : {&m_hv, &m_vv, &m_sv, &m_shv}) v->reset(new bool[n]());
        m_out_value.reset(new double[size_t(shape.cols)]());
        m_out_valid.reset(new bool[size_t(shape.cols)]());
        if (vcd) trace_registers(vcd);
        SC_THREAD(run);
    }

    void on_cycle(const PeCycle& s) override {
        const size_t n = size_t(s.rows * s.cols);
        CycleRecord r;
        r.cycle = s.cycle;
        r.phase = s.phase;
        r.fold = s.fold;
        r.row_base = s.row_base;
        r.col_base = s.col_base;
        r.rows_used = s.rows_used;
        r.cols_used = s.cols_used;
        r.horizontal.assign(s.horizontal, s.horizontal + n);
        r.vertical.assign(s.vertical, s.vertical + n);
        r.stationary.assign(s.stationary, s.stationary + n);
        r.shadow.assign(s.shadow, s.shadow + n);
        r.horizontal_valid.assign(s.horizontal_valid, s.horizontal_valid + n);
        r.vertical_valid.assign(s.vertical_valid, s.vertical_valid + n);
        r.stationary_valid.assign(s.stationary_valid, s.stationary_valid + n);
        r.shadow_valid.assign(s.shadow_valid, s.shadow_valid + n);
        r.horizontal_tag.assign(s.horizontal_tag, s.horizontal_tag + n);
        r.vertical_tag.assign(s.vertical_tag, s.vertical_tag + n);
        r.outputs = std::move(m_pending);
        m_pending.clear();
        // Drive the traced registers for this cycle, then let the clock advance.
        for (size_t i = 0; i < n; ++i) {
            m_h[i] = r.horizontal[i];
            m_v[i] = r.vertical[i];
            m_s[i] = r.stationary[i];
            m_sh[i] = r.shadow[i];
            m_hv[i] = r.horizontal_valid[i];
            m_vv[i] = r.vertical_valid[i];
            m_sv[i] = r.stationary_valid[i];
            m_shv[i] = r.shadow_valid[i];
            m_hi[i] = int32_t(r.horizontal[i]);
            m_vi[i] = int32_t(r.vertical[i]);
            m_si[i] = int32_t(r.stationary[i]);
            m_shi[i] = int32_t(r.shadow[i]);
        }
        for (int64_t c = 0; c < m_shape.cols; ++c) m_out_valid[size_t(c)] = false;
        for (const PeOutput& o : r.outputs) {
            const int64_t column = m_dataflow == Dataflow::InputStationary ? o.m : o.n;
            m_out_valid[size_t(column % m_shape.cols)] = true;
            m_out_value[size_t(column % m_shape.cols)] = o.value;
            m_out_int[size_t(column % m_shape.cols)] = int32_t(o.value);
        }
        m_cycle = s.cycle;
        m_log.cycles.push_back(std::move(r));
        sc_core::wait(m_period);
    }
    void on_output(const PeOutput& o) override { m_pending.push_back(o); }

private:
    // Every PE's registers under pe_r<row>_c<col>; INT8 problems as 32-bit integers (GTKWave shows
    // them in signed decimal with the save file), FP16 ones as reals.
    void trace_registers(sc_core::sc_trace_file* vcd) {
        const RegisterNames names = register_names(m_dataflow);
        sc_core::sc_trace(vcd, m_cycle, "cycle");
        const bool integer = m_problem.integer;
        auto value = [&](std::unique_ptr<double[]>& real, std::unique_ptr<int32_t[]>& whole, size_t i,
                         const std::string& name) {
            if (integer)
                sc_core::sc_trace(vcd, whole[i], name);
            else
                sc_core::sc_trace(vcd, real[i], name);
        };
        for (int64_t r = 0; r < m_shape.rows; ++r)
            for (int64_t c = 0; c < m_shape.cols; ++c) {
                const size_t i = size_t(r * m_shape.cols + c);
                const std::string pe = pe_scope(r, c) + ".";
                value(m_h, m_hi, i, pe + names.horizontal);
                sc_core::sc_trace(vcd, m_hv[i], pe + names.horizontal + "_valid");
                value(m_v, m_vi, i, pe + names.vertical);
                sc_core::sc_trace(vcd, m_vv[i], pe + names.vertical + "_valid");
                value(m_s, m_si, i, pe + names.stationary);
                sc_core::sc_trace(vcd, m_sv[i], pe + names.stationary + "_valid");
                value(m_sh, m_shi, i, pe + names.shadow);
                sc_core::sc_trace(vcd, m_shv[i], pe + names.shadow + "_valid");
            }
        for (int64_t c = 0; c < m_shape.cols; ++c) {
            value(m_out_value, m_out_int, size_t(c), fmt::format("out_c{}.value", c));
            sc_core::sc_trace(vcd, m_out_valid[size_t(c)], fmt::format("out_c{}.valid", c));
        }
    }

    template <class T>
    void run_typed() {
        std::vector<T> a(m_problem.a.begin(), m_problem.a.end()), b(m_problem.b.begin(), m_problem.b.end());
        std::vector<T> c(size_t(m_problem.dims.m * m_problem.dims.n), T(0));
        PeArray pe(m_dataflow, m_shape);
        pe.run<T>(m_problem.dims, a.data(), b.data(), c.data(), false, this);
        m_log.result.assign(c.begin(), c.end());
    }

    void run() {
        if (m_problem.integer)
            run_typed<int32_t>();
        else
            run_typed<float>();  // each cycle holds its values for one clock: the dump ends at cycles x period
    }

    const ExplainProblem& m_problem;
    Dataflow m_dataflow;
    ArrayShape m_shape;
    sc_core::sc_time m_period;
    ExplainLog& m_log;
    std::vector<PeOutput> m_pending;
    int64_t m_cycle = -1;
    std::unique_ptr<double[]> m_h, m_v, m_s, m_sh, m_out_value;
    std::unique_ptr<int32_t[]> m_hi, m_vi, m_si, m_shi, m_out_int;  // the same, for INT8 problems
    std::unique_ptr<bool[]> m_hv, m_vv, m_sv, m_shv, m_out_valid;
};

// SystemC picks the file name itself (base + ".vcd") and stamps the file with the date: npusim
// lets it write to a scratch file, then writes exactly the path asked for, the same bytes on
// every run (the $date block removed), and fails with one line if they do not all arrive.
std::string scratch_vcd_base() {
    return (std::filesystem::temp_directory_path() / fmt::format("npusim-explain-{}", getpid())).string();
}

std::string finish_vcd(const std::string& scratch, const std::string& path) {
    std::optional<std::string> read = try_read_file(scratch);
    std::error_code ec;
    std::filesystem::remove(scratch, ec);
    if (!read) return scratch + ": cannot open file";
    std::string& text = *read;
    const size_t date = text.find("$date");
    const size_t end = date == std::string::npos ? date : text.find("$end", date);
    if (end != std::string::npos) text.erase(date, text.find_first_not_of("\n", end + 4) - date);
    return try_write_file(path, text);
}

}  // namespace

std::string gtkwave_save_path(const std::string& vcd_path) {
    const bool vcd = vcd_path.size() > 4 && vcd_path.compare(vcd_path.size() - 4, 4, ".vcd") == 0;
    return (vcd ? vcd_path.substr(0, vcd_path.size() - 4) : vcd_path) + ".gtkw";
}

ExplainLog run_explain(const ExplainProblem& p, Dataflow dataflow, ArrayShape shape, double clock_mhz,
                       const std::string& vcd_path) {
    ExplainLog log;
    log.dataflow = dataflow;
    log.rows = shape.rows;
    log.cols = shape.cols;
    sc_core::sc_trace_file* vcd = nullptr;
    // SystemC's informational notes (trace timescale) would mix into the explanation.
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    const std::string scratch = scratch_vcd_base();
    if (!vcd_path.empty()) {
        vcd = sc_core::sc_create_vcd_trace_file(scratch.c_str());
        vcd->set_time_unit(1, sc_core::SC_NS);
    }
    {
        PeArrayTracer tracer("explain", p, dataflow, shape, Clock{clock_mhz}.cycle_ns(), vcd, log);
        sc_core::sc_start();
        if (vcd) sc_core::sc_close_vcd_trace_file(vcd);
    }
    if (vcd) {
        log.write_error = finish_vcd(scratch + ".vcd", vcd_path);
        if (log.write_error.empty())
            log.write_error =
                try_write_file(gtkwave_save_path(vcd_path), gtkwave_save(vcd_path, dataflow, shape, p.integer));
    }
    return log;
}

}  // namespace npu

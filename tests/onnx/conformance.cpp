// ONNX conformance: every case of Debian's libonnx-testdata (data/node, data/pytorch-converted)
// whose operators npusim supports runs through the CPU reference and the functional NPU model
// (FP32) and must match the expected outputs; FP16 runs are measured and reported, not judged.
// Prints a per-operator table; exits 1 if any supported case fails, 77 if the data is absent.
// Usage: npusim_onnx_conformance [--data DIR] [--markdown FILE] [--verbose] [--only SUBSTRING]
#include <systemc>

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "common/error.h"
#include "kernels/cpu/cpu_backend.h"
#include "sim/config/arch_loader.h"
#include "sim/runtime/simulation.h"
#include "workloads/import/onnx_import.h"
#include "workloads/ir/float_model.h"

namespace fs = std::filesystem;
using namespace npu;

namespace {

// ONNX's backend tests compare with rtol 1e-3; the absolute floor covers sums that cancel.
constexpr double kRtol = 1e-3, kAtol = 1e-5;

struct CaseResult {
    std::string name;
    std::vector<std::string> operators;
    bool supported = false;
    bool passed = false;
    std::string detail;         // why unsupported, or what failed
    double fp16_max_rel = 0.0;  // FP16 deviation from the expected output, relative to its max
    bool float_model = false;   // checked in FP32 (else an integer model checked in INT8)
};

std::vector<std::string> graph_input_names(const std::string& model_path) {
    onnx::ModelProto m;
    std::ifstream in(model_path, std::ios::binary);
    m.ParseFromIstream(&in);
    std::set<std::string> initializers;
    for (const auto& t : m.graph().initializer()) initializers.insert(t.name());
    std::vector<std::string> names;
    for (const auto& i : m.graph().input())
        if (!initializers.count(i.name())) names.push_back(i.name());
    return names;
}

// A graph input or output that is not a tensor (a sequence, an optional, a map): the case's
// data files are not TensorProtos, and npusim's graphs hold tensors only.
std::string non_tensor_value(const std::string& model_path) {
    onnx::ModelProto m;
    std::ifstream in(model_path, std::ios::binary);
    m.ParseFromIstream(&in);
    for (const auto* values : {&m.graph().input(), &m.graph().output()})
        for (const auto& v : *values)
            if (!v.type().has_tensor_type()) return "'" + v.name() + "' is not a tensor (sequence, optional or map)";
    return "";
}

std::vector<OnnxTensor> load_set(const fs::path& dir, const std::string& prefix) {
    std::vector<OnnxTensor> out;
    for (int i = 0;; ++i) {
        const fs::path p = dir / fmt::format("{}_{}.pb", prefix, i);
        if (!fs::exists(p)) break;
        out.push_back(load_tensor_file(p.string()));
    }
    return out;
}

// Largest |got - want| beyond atol + rtol |want|, as a message; empty when all agree.
std::string compare(const HostTensor& got, const OnnxTensor& want, const char* who) {
    if (got.elements() != want.elements())
        return fmt::format("{}: {} elements, expected {}", who, got.elements(), want.elements());
    for (int64_t i = 0; i < got.elements(); ++i) {
        const double a = got.value(i), e = want.values[size_t(i)];
        if (!(std::fabs(a - e) <= kAtol + kRtol * std::fabs(e)))
            return fmt::format("{}: element {} is {} where {} is expected", who, i, a, e);
    }
    return "";
}

double max_relative(const HostTensor& got, const OnnxTensor& want) {
    double scale = 0.0, err = 0.0;
    for (int64_t i = 0; i < got.elements(); ++i) {
        scale = std::max(scale, std::fabs(want.values[size_t(i)]));
        err = std::max(err, std::fabs(got.value(i) - want.values[size_t(i)]));
    }
    return scale > 0 ? err / scale : err;
}

class Harness {
public:
    explicit Harness(const NpuConfig& design) : m_design(design) {
        SimulationOptions fp32, fp16, int8;
        fp32.instance_name = "npu_fp32";
        fp16.instance_name = "npu_fp16";
        int8.instance_name = "npu_int8";
        fp32.check = fp16.check = int8.check = false;
        m_fp32 = std::make_unique<Simulation>(design, fp32);
        m_fp16 = std::make_unique<Simulation>(design, fp16);
        m_int8 = std::make_unique<Simulation>(design, int8);
    }

    CaseResult run(const fs::path& dir) {
        CaseResult r;
        r.name = dir.filename().string();
        const fs::path model = dir / "model.onnx", data = dir / "test_data_set_0";
        r.operators = operators_of(model.string());
        for (const std::string& op : r.operators)
            if (std::find(supported_onnx_operators().begin(), supported_onnx_operators().end(), op) ==
                supported_onnx_operators().end()) {
                r.detail = "operator " + op;
                return r;
            }
        if (const std::string why = non_tensor_value(model.string()); !why.empty()) {
            r.detail = why;
            return r;
        }
        try {
            const std::vector<OnnxTensor> inputs = load_set(data, "input"), expected = load_set(data, "output");
            OnnxImportOptions options;
            const std::vector<std::string> names = graph_input_names(model.string());
            for (size_t i = 0; i < names.size() && i < inputs.size(); ++i) options.bound[names[i]] = inputs[i];
            const OnnxImport imported = import_onnx(model.string(), options);
            r.operators = imported.operators;
            r.supported = true;
            check(imported, expected, r);
        } catch (const UnsupportedError& e) {
            r.supported = false;
            r.detail = e.what();
        } catch (const std::exception& e) {
            r.supported = true;
            r.detail = e.what();
        }
        return r;
    }

private:
    static std::vector<std::string> operators_of(const std::string& model_path) {
        onnx::ModelProto m;
        std::ifstream in(model_path, std::ios::binary);
        m.ParseFromIstream(&in);
        std::set<std::string> ops;
        for (const auto& n : m.graph().node()) ops.insert(n.op_type());
        return {ops.begin(), ops.end()};
    }

    // Quantized models: the INT8 datapath must reproduce the expected integers exactly.
    void check_integer(const OnnxImport& imported, const std::vector<OnnxTensor>& expected, CaseResult& r) {
        const PreparedWorkload w{quantize_model(make_float_model(imported.graph, 1), Precision::Int8), true, 0, ""};
        const std::vector<HostTensor> reference = run_reference(w.model);
        m_int8->run(w);
        std::string problem;
        for (size_t k = 0; k < expected.size() && k < imported.output_layers.size(); ++k) {
            const int layer = imported.output_layers[size_t(k)];
            const double offset = w.model.layers[size_t(layer)].unsigned_values ? 128.0 : 0.0;
            for (const auto& [who, got] :
                 {std::pair<const char*, HostTensor>{"CPU reference", reference[size_t(layer)]},
                  {"NPU INT8", m_int8->layer_output(w.model.graph, layer)}}) {
                if (!problem.empty()) break;
                if (got.elements() != expected[k].elements()) problem = fmt::format("{}: element count", who);
                for (int64_t i = 0; i < got.elements() && problem.empty(); ++i)
                    if (double(got.value(i)) + offset != expected[k].values[size_t(i)])
                        problem = fmt::format("{}: element {} is {} where {} is expected", who, i,
                                              double(got.value(i)) + offset, expected[k].values[size_t(i)]);
            }
        }
        r.passed = problem.empty();
        r.detail = problem;
    }

    void check(const OnnxImport& imported, const std::vector<OnnxTensor>& expected, CaseResult& r) {
        if (has_given_quantization(imported.graph)) return check_integer(imported, expected, r);
        r.float_model = true;
        for (const OnnxTensor& e : expected)
            if (e.type != OnnxType::Float)
                throw UnsupportedError(fmt::format("expected output of type {}", onnx_type_name(e.type)));
        const FloatModel source = make_float_model(imported.graph, 1);
        const InferenceGraph plan = inference_graph(imported.graph);
        const FloatModel folded = prepare_for_inference(source);
        const PreparedWorkload fp32{quantize_model(folded, Precision::Fp32), true, 0, ""};
        const PreparedWorkload fp16{quantize_model(folded, Precision::Fp16), true, 0, ""};
        const std::vector<HostTensor> reference = run_reference(fp32.model);
        m_fp32->run(fp32);
        m_fp16->run(fp16);
        std::string problem;
        for (size_t k = 0; k < expected.size() && k < imported.output_layers.size(); ++k) {
            const int layer = plan.index_of[size_t(imported.output_layers[k])];
            for (const std::string& p :
                 {compare(reference[size_t(layer)], expected[k], "CPU reference"),
                  compare(m_fp32->layer_output(fp32.model.graph, layer), expected[k], "NPU FP32")})
                if (problem.empty()) problem = p;
            r.fp16_max_rel =
                std::max(r.fp16_max_rel, max_relative(m_fp16->layer_output(fp16.model.graph, layer), expected[k]));
        }
        r.passed = problem.empty();
        r.detail = problem;
    }

    NpuConfig m_design;
    std::unique_ptr<Simulation> m_fp32, m_fp16, m_int8;
};

struct OpRow {
    int cases = 0, supported = 0, passed = 0, float_passed = 0;
    double fp16_worst = 0.0;
};

struct Options {
    std::string data_root = "/usr/share/libonnx-testdata/data", markdown, only;
    bool verbose = false;
};

// Returns false on an unknown argument.
bool parse_args(int argc, char* argv[], Options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--data" && i + 1 < argc)
            o.data_root = argv[++i];
        else if (a == "--markdown" && i + 1 < argc)
            o.markdown = argv[++i];
        else if (a == "--only" && i + 1 < argc)
            o.only = argv[++i];
        else if (a == "--verbose")
            o.verbose = true;
        else
            return false;
    }
    return true;
}

// The results per operator and in all.
struct Tally {
    std::map<std::string, OpRow> rows;
    int total = 0, supported = 0, passed = 0;
    std::vector<std::string> failures;

    void add(const char* suite, const CaseResult& r, bool verbose) {
        ++total;
        supported += r.supported;
        passed += r.passed;
        for (const std::string& op : r.operators) {
            OpRow& row = rows[op];
            ++row.cases;
            row.supported += r.supported;
            row.passed += r.passed;
            if (r.passed && r.float_model) {
                ++row.float_passed;
                row.fp16_worst = std::max(row.fp16_worst, r.fp16_max_rel);
            }
        }
        if (r.supported && !r.passed) failures.push_back(fmt::format("{}/{}: {}", suite, r.name, r.detail));
        if (verbose)
            fmt::print("{:<60} {}\n", std::string(suite) + "/" + r.name,
                       r.passed ? fmt::format("pass (fp16 max rel {:.2e})", r.fp16_max_rel)
                                : (r.supported ? "FAIL " : "unsupported: ") + r.detail);
    }

    std::string table() {
        std::string text =
            "| operator | cases | supported | passed | worst FP16 deviation (max abs error / max expected) |\n"
            "|---|---|---|---|---|\n";
        for (const std::string& op : supported_onnx_operators())
            if (rows.count(op))
                text +=
                    fmt::format("| {} | {} | {} | {} | {} |\n", op, rows[op].cases, rows[op].supported, rows[op].passed,
                                rows[op].float_passed ? fmt::format("{:.1e}", rows[op].fp16_worst)
                                : rows[op].passed     ? "integer: exact"
                                                      : "-");
        text += fmt::format("| all cases | {} | {} | {} | |\n", total, supported, passed);
        return text;
    }
};

}  // namespace

int sc_main(int argc, char* argv[]) {
    Options o;
    if (!parse_args(argc, argv, o)) {
        fmt::print(stderr, "usage: npusim_onnx_conformance [--data DIR] [--markdown FILE] [--verbose] [--only TEXT]\n");
        return 2;
    }
    if (!fs::exists(o.data_root)) {
        fmt::print("NPUSIM_SKIPPED: {} not found (Debian package libonnx-testdata)\n", o.data_root);
        return 77;
    }
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    const NpuConfig design = load_design(std::string(NPUSIM_SOURCE_DIR) + "/configs/arch/train_128_fp16.yaml",
                                         std::string(NPUSIM_SOURCE_DIR) + "/configs/energy");
    Harness harness(design);
    Tally tally;
    for (const char* suite : {"node", "pytorch-converted"}) {
        std::vector<fs::path> cases;
        for (const auto& entry : fs::directory_iterator(fs::path(o.data_root) / suite))
            if (fs::exists(entry.path() / "model.onnx") && entry.path().string().find(o.only) != std::string::npos)
                cases.push_back(entry.path());
        std::sort(cases.begin(), cases.end());
        for (const fs::path& dir : cases) tally.add(suite, harness.run(dir), o.verbose);
    }
    const std::string table = tally.table();
    fmt::print("{}", table);
    for (const std::string& f : tally.failures) fmt::print("FAILED {}\n", f);
    if (!o.markdown.empty()) std::ofstream(o.markdown) << table;
    return tally.failures.empty() ? 0 : 1;
}

int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}

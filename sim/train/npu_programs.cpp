#include "sim/train/npu_programs.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "kernels/numerics/element.h"

namespace npu {
namespace {

isa::Program gemm_program(const NpuConfig& config, const MatrixGemmJob& job) {
    ProgramBuilder builder(job.precision, 1, 3, Limits{});
    lower_matrix_gemm(config, job, builder);
    return builder.finish(job.zero_records + uint64_t(job.b.cols) * isa::kChannelParamBytes);
}

}  // namespace

NpuPrograms::NpuPrograms(Simulation& simulation, Precision precision) : m_sim(simulation), m_precision(precision) {
    if (!is_float(precision) || !simulation.config().supports(precision))
        throw UsageError(fmt::format("design '{}' has no {} MACs for training", simulation.config().name,
                                     precision_name(precision)));
}

uint64_t NpuPrograms::scratch(uint64_t bytes) {
    if (bytes > m_scratch_bytes) {
        m_scratch_bytes = std::max(bytes, 2 * m_scratch_bytes);
        m_scratch = m_sim.allocate_dram(m_scratch_bytes);
    }
    return m_scratch;
}

MatrixGemmJob NpuPrograms::place(int64_t m, int64_t k, int64_t n, bool transpose_a, bool transpose_b) {
    const uint64_t e = element_bytes(m_precision);
    MatrixGemmJob job;
    job.precision = m_precision;
    job.a = {0, m, k, transpose_a, 0};
    job.b = {0, k, n, transpose_b, 1};
    const uint64_t a_bytes = DramAllocator::align(uint64_t(m * k) * e),
                   b_bytes = DramAllocator::align(uint64_t(k * n) * e);
    const uint64_t c_bytes = DramAllocator::align(uint64_t(m * n) * e);
    const uint64_t base = scratch(a_bytes + b_bytes + c_bytes + uint64_t(n) * isa::kChannelParamBytes);
    job.a.address = base;
    job.b.address = base + a_bytes;
    job.c_address = base + a_bytes + b_bytes;
    job.c_tensor = 2;
    job.zero_records = job.c_address + c_bytes;
    return job;
}

void NpuPrograms::run(const isa::Program& program, Precision precision) {
    const double start = m_sim.execute(program);
    m_ledger.book(m_phase, m_layer, m_sim.program_totals(start, precision));
}

void NpuPrograms::run_gemm(const MatrixGemmJob& job) { run(gemm_program(m_sim.config(), job), m_precision); }

void NpuPrograms::time_gemm(int64_t m, int64_t k, int64_t n, bool transpose_a, bool transpose_b) {
    run(gemm_program(m_sim.config(), place(m, k, n, transpose_a, transpose_b)), m_precision);
}

void NpuPrograms::time_pass(const VectorPass& pass) {
    if (pass.elements == 0) return;
    StreamJob job;
    job.elements = pass.elements;
    job.ops_per_element = pass.ops;
    job.precision = pass.fp32 ? Precision::Fp32 : m_precision;
    const int streams = pass.inputs + pass.outputs;
    const uint64_t stream_bytes = DramAllocator::align(uint64_t(pass.elements) * element_bytes(job.precision));
    const uint64_t base = scratch(stream_bytes * uint64_t(streams));
    for (int s = 0; s < streams; ++s)
        (s < pass.inputs ? job.inputs : job.outputs).push_back(base + uint64_t(s) * stream_bytes);
    ProgramBuilder builder(job.precision, 1, std::max<size_t>(1, job.outputs.size()), Limits{});
    lower_stream(m_sim.config(), job, builder);
    at(pass.phase, pass.layer);
    run(builder.finish(base + stream_bytes * uint64_t(streams)), job.precision);
}

void NpuPrograms::run_streams(TrainPhase phase, int layer, const std::vector<StreamJob>& jobs) {
    size_t outputs = 1;
    for (const StreamJob& j : jobs) outputs = std::max(outputs, j.outputs.size());
    ProgramBuilder builder(Precision::Fp32, 1, outputs, Limits{});
    for (const StreamJob& j : jobs) {
        builder.set_precision(j.precision);
        lower_stream(m_sim.config(), j, builder);
    }
    at(phase, layer);
    run(builder.finish(m_sim.dram_end()), jobs.empty() ? Precision::Fp32 : jobs.front().precision);
}

std::vector<std::vector<float>> NpuPrograms::compute(TrainPhase phase, int layer,
                                                     const std::vector<const std::vector<float>*>& inputs, int outputs,
                                                     const std::vector<StreamOp>& ops) {
    const size_t n = inputs.front()->size();
    const uint64_t stream_bytes = DramAllocator::align(uint64_t(n) * element_bytes(m_precision));
    const uint64_t base = scratch(stream_bytes * uint64_t(inputs.size() + size_t(outputs)));
    StreamJob job;
    job.elements = int64_t(n);
    job.ops = ops;
    job.precision = m_precision;
    for (size_t s = 0; s < inputs.size(); ++s) {
        job.inputs.push_back(base + s * stream_bytes);
        m_sim.write_dram(job.inputs.back(), encode_reals(*inputs[s], m_precision));
    }
    for (int s = 0; s < outputs; ++s) job.outputs.push_back(base + (inputs.size() + size_t(s)) * stream_bytes);
    run_streams(phase, layer, {job});
    std::vector<std::vector<float>> out;
    for (uint64_t address : job.outputs) {
        out.push_back(decode_reals(m_sim.read_dram(address, uint64_t(n) * element_bytes(m_precision)), n, m_precision));
    }
    return out;
}

std::vector<float> NpuPrograms::round_trip(TrainPhase phase, int layer,
                                           const std::vector<const std::vector<float>*>& inputs,
                                           int64_t output_elements, const BuildProgram& build, bool fp32_output) {
    const uint64_t e = element_bytes(m_precision);
    const Precision out_precision = fp32_output ? Precision::Fp32 : m_precision;
    uint64_t bytes = DramAllocator::align(uint64_t(output_elements) * element_bytes(out_precision));
    for (const std::vector<float>* in : inputs) bytes += DramAllocator::align(in->size() * e);
    uint64_t next = scratch(bytes);
    std::vector<uint64_t> addresses;
    for (const std::vector<float>* in : inputs) {
        addresses.push_back(next);
        m_sim.write_dram(next, encode_reals(*in, m_precision));
        next += DramAllocator::align(in->size() * e);
    }
    ProgramBuilder builder(m_precision, 1, 1, Limits{});
    build(addresses, next, builder);
    at(phase, layer);
    run(builder.finish(m_sim.dram_end()), m_precision);
    return decode_reals(m_sim.read_dram(next, uint64_t(output_elements) * element_bytes(out_precision)),
                        size_t(output_elements), out_precision);
}

void NpuPrograms::set_resident_weights(int layer, uint64_t address) {
    if (m_resident.size() <= size_t(layer)) m_resident.resize(size_t(layer) + 1, 0);
    m_resident[size_t(layer)] = address;
}

uint64_t NpuPrograms::resident_address(int layer, const HostMatrix& m) const {
    if (m.weight_offset < 0 || layer < 0 || size_t(layer) >= m_resident.size() || m_resident[size_t(layer)] == 0)
        return 0;
    return m_resident[size_t(layer)] + uint64_t(m.weight_offset) * element_bytes(m_precision);
}

HostMatrix NpuPrograms::multiply(GradientGemm gemm, int layer, const HostMatrix& a, bool transpose_a,
                                 const HostMatrix& b, bool transpose_b) {
    at(gemm == GradientGemm::Weight ? TrainPhase::WeightGradient : TrainPhase::DataGradient, layer);
    return multiply_at(a, transpose_a, resident_address(layer, a), b, transpose_b, resident_address(layer, b));
}

HostMatrix NpuPrograms::multiply(const HostMatrix& a, bool transpose_a, const HostMatrix& b, bool transpose_b) {
    return multiply_at(a, transpose_a, 0, b, transpose_b, 0);
}

HostMatrix NpuPrograms::multiply_at(const HostMatrix& a, bool transpose_a, uint64_t a_at, const HostMatrix& b,
                                    bool transpose_b, uint64_t b_at) {
    const int64_t m = transpose_a ? a.cols : a.rows, k = transpose_a ? a.rows : a.cols;
    const int64_t n = transpose_b ? b.rows : b.cols;
    if ((transpose_b ? b.cols : b.rows) != k)
        throw std::logic_error(fmt::format("NpuPrograms: {}x{} times {}x{}", m, k, transpose_b ? b.cols : b.rows, n));
    MatrixGemmJob job = place(m, k, n, transpose_a, transpose_b);
    // An operand already in DRAM is read in place; the driver writes the others.
    if (a_at != 0)
        job.a.address = a_at;
    else
        m_sim.write_dram(job.a.address, encode_reals(a.values, m_precision));
    if (b_at != 0)
        job.b.address = b_at;
    else
        m_sim.write_dram(job.b.address, encode_reals(b.values, m_precision));
    m_sim.write_dram(job.zero_records, std::vector<uint8_t>(size_t(n) * isa::kChannelParamBytes, 0));
    run(gemm_program(m_sim.config(), job), m_precision);
    return HostMatrix{m, n,
                      decode_reals(m_sim.read_dram(job.c_address, uint64_t(m * n) * element_bytes(m_precision)),
                                   size_t(m * n), m_precision)};
}

}  // namespace npu

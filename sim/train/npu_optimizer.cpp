#include "sim/train/npu_optimizer.h"

#include "kernels/numerics/element.h"

#include <cmath>
#include <cstring>

namespace npu {
namespace {

std::vector<float>& part(std::vector<LayerParams>& p, int layer, bool bias) {
    return bias ? p[size_t(layer)].bias : p[size_t(layer)].weight;
}
const std::vector<float>& part(const std::vector<LayerParams>& p, int layer, bool bias) {
    return bias ? p[size_t(layer)].bias : p[size_t(layer)].weight;
}

StreamOp op(isa::VectorOp code, int src, int src2, int dst, double alpha = 1.0, double beta = 0.0) {
    return {code, src, src2, dst, alpha, beta};
}

// SGD. Tiles: 0 master, 1 gradient, 2 momentum in; 3 master, 4 momentum out.
std::vector<StreamOp> sgd_ops(const OptimizerConfig& c, double lr) {
    std::vector<StreamOp> ops;
    if (c.weight_decay != 0.0) ops.push_back(op(isa::VectorOp::Axpby, 1, 0, 1, 1.0, c.weight_decay));  // g += wd w
    ops.push_back(op(isa::VectorOp::Axpby, 2, 1, 4, c.momentum, 1.0));                                 // m
    ops.push_back(op(isa::VectorOp::Axpby, 0, 4, 3, 1.0, -lr));                                        // w - lr m
    return ops;
}

// Adam. Tiles: 0 master, 1 gradient, 2 first, 3 second moment in; 4 master, 5 first, 6 second
// out (4 holds the denominator, then the ratio, then the master value).
std::vector<StreamOp> adam_ops(const OptimizerConfig& c, double lr, int64_t update) {
    const double t = double(update + 1);
    const double correct1 = 1.0 - std::pow(c.beta1, t), correct2 = 1.0 - std::pow(c.beta2, t);
    std::vector<StreamOp> ops;
    if (c.weight_decay != 0.0) ops.push_back(op(isa::VectorOp::Axpby, 1, 0, 1, 1.0, c.weight_decay));
    ops.push_back(op(isa::VectorOp::Axpby, 2, 1, 5, c.beta1, 1.0 - c.beta1));         // m
    ops.push_back(op(isa::VectorOp::AxpbySquare, 3, 1, 6, c.beta2, 1.0 - c.beta2));   // v
    ops.push_back(op(isa::VectorOp::SqrtShift, 6, 6, 4, 1.0 / correct2, c.epsilon));  // sqrt(v / c2) + eps
    ops.push_back(op(isa::VectorOp::Divide, 5, 4, 4));                                // m / denominator
    ops.push_back(op(isa::VectorOp::Axpby, 0, 4, 4, 1.0, -(lr / correct1)));          // the step
    return ops;
}

}  // namespace

void NpuOptimizer::place(const std::vector<LayerParams>& params, bool adam) {
    m_sim.release_dram();  // the last step's placements; the state goes first and stays
    m_programs.reset();
    m_tensors.clear();
    for (size_t i = 0; i < params.size(); ++i)
        for (bool bias : {false, true}) {
            const std::vector<float>& values = part(params, int(i), bias);
            if (values.empty()) continue;
            const uint64_t bytes = values.size() * sizeof(float);
            Tensor t{int(i),
                     bias,
                     int64_t(values.size()),
                     m_sim.allocate_dram(bytes),
                     m_sim.allocate_dram(bytes),
                     adam ? m_sim.allocate_dram(bytes) : 0,
                     m_sim.allocate_dram(bytes)};
            m_sim.write_dram(t.first, std::vector<uint8_t>(bytes, 0));
            if (adam) m_sim.write_dram(t.second, std::vector<uint8_t>(bytes, 0));
            m_tensors.push_back(t);
        }
    m_sim.keep_dram();
    m_placed = true;
    m_master_written = false;
}

void NpuOptimizer::set_compute_copy(int layer, bool bias, uint64_t address, Precision precision, int64_t stride) {
    for (Tensor& t : m_tensors)
        if (t.layer == layer && t.bias == bias) {
            if (precision == Precision::Fp32 && stride == 1) {  // the master values themselves
                t.master = address;
                t.copy = 0;
                return;
            }
            t.copy = address;
            t.copy_precision = precision;
            t.copy_stride = stride;
            return;
        }
    throw std::logic_error("NpuOptimizer::set_compute_copy: no such parameter tensor placed");
}

void NpuOptimizer::write_master(const std::vector<LayerParams>& master) {
    for (const Tensor& t : m_tensors)
        m_sim.write_dram(t.master, encode_reals(part(master, t.layer, t.bias), Precision::Fp32));
    m_master_written = true;
}

void NpuOptimizer::write_gradients(const std::vector<LayerParams>& grads) {
    for (const Tensor& t : m_tensors)
        m_sim.write_dram(t.gradient, encode_reals(part(grads, t.layer, t.bias), Precision::Fp32));
    m_gradients_written = true;
}

bool NpuOptimizer::gradients_finite(const std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                                    const OptimizerConfig& config) {
    if (!m_placed) place(master, config.kind == OptimizerKind::Adam);
    if (!m_master_written) write_master(master);
    write_gradients(grads);
    ProgramBuilder builder(Precision::Fp32, 1, 1, Limits{});
    std::vector<std::pair<uint64_t, int64_t>> means;  // per tensor: where its tiles' means go, how many
    for (const Tensor& t : m_tensors) {
        StreamJob job;
        job.elements = t.elements;
        job.inputs = {t.gradient};
        job.outputs = {0};
        const int64_t tile = choose_stream_tile(m_sim.config(), job);
        const uint64_t at = m_sim.allocate_dram(uint64_t((t.elements + tile - 1) / tile) * sizeof(float));
        means.emplace_back(at,
                           lower_stream_means(m_sim.config(), t.gradient, t.elements, at, Precision::Fp32, builder));
    }
    m_programs.run_program(TrainPhase::Update, -1, builder.finish(m_sim.dram_end()), Precision::Fp32);
    for (const auto& [at, count] : means) {
        for (float v : decode_reals(m_sim.read_dram(at, uint64_t(count) * 4), size_t(count), Precision::Fp32))
            if (!std::isfinite(v)) return false;
    }
    return true;
}

// Layer t's update, and where its forward programs read it, the compute copy: one more output
// stream, converted from the new master tile.
StreamJob NpuOptimizer::update_job(const Tensor& t, bool adam, const std::vector<StreamOp>& ops) const {
    StreamJob job;
    job.elements = t.elements;
    job.inputs = adam ? std::vector<uint64_t>{t.master, t.gradient, t.first, t.second}
                      : std::vector<uint64_t>{t.master, t.gradient, t.first};
    job.outputs = adam ? std::vector<uint64_t>{t.master, t.first, t.second} : std::vector<uint64_t>{t.master, t.first};
    job.ops = ops;
    if (t.copy != 0) {
        const int master_out = int(job.inputs.size()), copy_out = master_out + int(job.outputs.size());
        StreamOp convert{isa::VectorOp::Convert, master_out, master_out, copy_out};
        convert.convert_to = t.copy_precision;
        job.ops.push_back(convert);
        job.output_precisions.assign(job.outputs.size(), Precision::Fp32);
        job.output_strides.assign(job.outputs.size(), 1);
        job.outputs.push_back(t.copy);
        job.output_precisions.push_back(t.copy_precision);
        job.output_strides.push_back(t.copy_stride);
    }
    return job;
}

void NpuOptimizer::apply(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                         const OptimizerConfig& config, double lr, int64_t update) {
    const bool adam = config.kind == OptimizerKind::Adam;
    if (!m_placed) place(master, adam);
    if (!m_master_written) write_master(master);
    if (!m_gradients_written) write_gradients(grads);
    m_gradients_written = false;  // the next step writes its own
    const std::vector<StreamOp> ops = adam ? adam_ops(config, lr, update) : sgd_ops(config, lr);
    for (size_t first = 0; first < m_tensors.size();) {
        // One program per layer: its weights and its biases.
        const int layer = m_tensors[first].layer;
        std::vector<StreamJob> jobs;
        size_t end = first;
        for (; end < m_tensors.size() && m_tensors[end].layer == layer; ++end)
            jobs.push_back(update_job(m_tensors[end], adam, ops));
        m_programs.run_streams(TrainPhase::Update, layer, jobs);
        for (size_t k = first; k < end; ++k) {
            const Tensor& t = m_tensors[k];
            part(master, layer, t.bias) =
                decode_reals(m_sim.read_dram(t.master, uint64_t(t.elements) * 4), size_t(t.elements), Precision::Fp32);
        }
        first = end;
    }
}

}  // namespace npu

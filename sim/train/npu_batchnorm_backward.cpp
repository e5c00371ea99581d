#include "sim/train/npu_batchnorm_backward.h"

#include <cstring>

#include "kernels/numerics/element.h"
#include "sim/compiler/lower_batchnorm_grad.h"

namespace npu {
namespace {

template <class T>
void put(std::vector<uint8_t>& bytes, size_t at, T value) {
    std::memcpy(bytes.data() + at, &value, sizeof value);
}

}  // namespace

bool npu_batchnorm_backward(Simulation& sim, NpuPrograms& programs, const Graph& g, int i, PassTensors& pass,
                            const LayerParams& params, LayerParams& grads) {
    const Layer& l = g.layers[size_t(i)];
    const int in = l.inputs[0];
    BatchNormGradJob job;
    job.shape = g.layers[size_t(in)].output;
    job.precision = programs.precision();
    BatchNormGradJob dx_job = job;
    dx_job.sums = false;
    if (l.activation != Activation::None || g.readers(in) > 1 || batchnorm_grad_tile(sim.config(), job) == 0 ||
        batchnorm_grad_tile(sim.config(), dx_job) == 0)
        return false;  // the host's
    const Shape& s = job.shape;
    const size_t channels = size_t(s.c), e = element_bytes(job.precision);
    const std::vector<float>& stats = pass.batch_stats[size_t(i)];  // means, then 1 / std
    job.x = sim.allocate_dram(uint64_t(s.elements()) * e);
    job.dz = sim.allocate_dram(uint64_t(s.elements()) * e);
    job.records = sim.allocate_dram(channels * uint64_t(isa::kBatchNormGradParamBytes));
    job.out = sim.allocate_dram(std::max(channels * 16, size_t(s.elements()) * e));
    sim.write_dram(job.x, encode_reals(pass.out[size_t(in)], job.precision));
    sim.write_dram(job.dz, encode_reals(pass.grad[size_t(i)], job.precision));
    std::vector<uint8_t> records(channels * isa::kChannelParamBytes, 0);
    for (size_t c = 0; c < channels; ++c) {
        put(records, c * isa::kChannelParamBytes, stats[c]);
        put(records, c * isa::kChannelParamBytes + 4, stats[channels + c]);
    }
    sim.write_dram(job.records, records);
    ProgramBuilder sums(job.precision, 1, 1, Limits{});
    lower_batchnorm_grad(sim.config(), job, sums);
    programs.run_program(TrainPhase::WeightGradient, i, sums.finish(sim.dram_end()), job.precision);
    // The driver reads the sums back: d beta, d gamma, and the dx program's records.
    const std::vector<uint8_t> sum_bytes = sim.read_dram(job.out, channels * 16);
    records.assign(channels * isa::kBatchNormGradParamBytes, 0);
    for (size_t c = 0; c < channels; ++c) {
        double sum_dz, sum_dz_xhat;
        std::memcpy(&sum_dz, sum_bytes.data() + c * 16, 8);
        std::memcpy(&sum_dz_xhat, sum_bytes.data() + c * 16 + 8, 8);
        grads.weight[c] += float(sum_dz_xhat);
        grads.bias[c] += float(sum_dz);
        const size_t at = c * isa::kBatchNormGradParamBytes;
        put(records, at, sum_dz);
        put(records, at + 8, sum_dz_xhat);
        put(records, at + 16, stats[c]);
        put(records, at + 20, stats[channels + c]);
        put(records, at + 24, params.weight[c]);
    }
    sim.write_dram(job.records, records);
    job.sums = false;
    ProgramBuilder dx(job.precision, 1, 1, Limits{});
    lower_batchnorm_grad(sim.config(), job, dx);
    programs.run_program(TrainPhase::DataGradient, i, dx.finish(sim.dram_end()), job.precision);
    pass.grad[size_t(in)] =
        decode_reals(sim.read_dram(job.out, uint64_t(s.elements()) * e), size_t(s.elements()), job.precision);
    return true;
}

}  // namespace npu

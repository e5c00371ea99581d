#include "sim/compiler/dram_plan.h"

#include <cstring>

#include "arch/isa.h"
#include "kernels/numerics/element.h"
#include "workloads/ops/op_def.h"

namespace npu {
namespace {

int64_t output_channels(const Layer& l) { return op_def(l.kind).channel_records(l); }
bool has_channel_params(const Layer& l) { return op_def(l.kind).channel_records != nullptr; }
// A layer with channel records but no weight tensor (a standalone batchnorm) keeps its per-channel
// scale and shift in the records.
bool has_weight_tensor(const Layer& l) { return op_def(l.kind).weights != nullptr; }

}  // namespace

DramPlan plan_dram(const Graph& g, Precision precision, const std::vector<QuantLayer>& quant, DramAllocator& dram) {
    const size_t n = g.layers.size();
    const uint64_t e = element_bytes(precision);
    DramPlan p;
    p.output_address.assign(n, 0);
    p.tensor_id.assign(n, 0);
    p.weight_address.assign(n, 0);
    p.param_address.assign(n, 0);
    p.element_bytes.assign(n, int64_t(e));
    p.base_address = dram.end();
    for (size_t i = 0; i < n; ++i) {
        const Layer& l = g.layers[i];
        if (op_def(l.kind).aliases_input) {  // same bytes as its input
            p.tensor_id[i] = p.tensor_id[size_t(l.inputs[0])];
            p.output_address[i] = p.output_address[size_t(l.inputs[0])];
            continue;
        }
        p.tensor_id[i] = int32_t(i);
        if (quant[i].out_int32) p.element_bytes[i] = 4;
        const uint64_t output_bytes = uint64_t(l.output.elements() * p.element_bytes[i]);
        p.output_address[i] = dram.allocate(output_bytes);
        p.compulsory_bytes += output_bytes;
        if (has_channel_params(l)) {
            const uint64_t weight_bytes = uint64_t(layer_weights(g, int(i))) * e;
            const uint64_t param_bytes = uint64_t(output_channels(l)) * isa::kChannelParamBytes;
            p.weight_address[i] = dram.allocate(weight_bytes);
            p.param_address[i] = dram.allocate(param_bytes);
            p.compulsory_bytes += weight_bytes + param_bytes;
        }
    }
    p.total_bytes = dram.end();
    return p;
}

std::vector<uint8_t> channel_params(const QuantModel& m, int layer) {
    const Layer& l = m.graph.layers[size_t(layer)];
    const QuantLayer& q = m.layers[size_t(layer)];
    const int64_t channels = output_channels(l);
    std::vector<uint8_t> bytes(size_t(channels * isa::kChannelParamBytes), 0);
    for (int64_t c = 0; c < channels; ++c) {
        int32_t record[3] = {0, 0, 0};
        if (!has_weight_tensor(l)) {  // scale and shift (batchnorm, layer norm: FP32 also in INT8 runs)
            std::memcpy(&record[0], &q.weight_f[size_t(c)], sizeof(float));
            std::memcpy(&record[1], &q.bias_f[size_t(c)], sizeof(float));
        } else if (m.precision == Precision::Int8 && q.onnx_rounding) {
            record[0] = q.bias_q[size_t(c)];
            std::memcpy(&record[1], &q.requant_scale[size_t(c)], sizeof(float));
        } else if (m.precision == Precision::Int8 && q.out_int32) {
            record[0] = q.bias_q[size_t(c)];
        } else if (m.precision == Precision::Int8) {
            record[0] = q.bias_q[size_t(c)];
            record[1] = q.requant[size_t(c)].multiplier;
            record[2] = q.requant[size_t(c)].shift;
        } else {
            std::memcpy(&record[0], &q.bias_f[size_t(c)], sizeof(float));
        }
        std::memcpy(&bytes[size_t(c * isa::kChannelParamBytes)], record, sizeof record);
    }
    return bytes;
}

std::vector<uint8_t> dram_image(const QuantModel& m, const DramPlan& p) {
    std::vector<uint8_t> storage(p.total_bytes - p.base_address, 0);
    for_each_dram_write(m, p, {}, [&](uint64_t address, const uint8_t* bytes, size_t size) {
        std::memcpy(storage.data() + (address - p.base_address), bytes, size);
    });
    return storage;
}

void for_each_dram_write(const QuantModel& m, const DramPlan& p, const std::vector<bool>& resident,
                         const DramWriter& write) {
    auto put = [&](uint64_t address, const std::vector<uint8_t>& bytes) {
        if (!bytes.empty()) write(address, bytes.data(), bytes.size());
    };
    for (int i : m.graph.input_indices()) put(p.output_address[size_t(i)], m.inputs[size_t(i)].bytes);
    for (size_t i = 0; i < m.graph.layers.size(); ++i) {
        if (!has_channel_params(m.graph.layers[i]) || (i < resident.size() && resident[i])) continue;
        // The weights as stored: INT8 values, or reals in the model's precision (none for a
        // standalone batchnorm, whose scale and shift are in its records).
        const QuantLayer& q = m.layers[i];
        if (m.precision == Precision::Int8 && !q.weight_q.empty())
            write(p.weight_address[i], reinterpret_cast<const uint8_t*>(q.weight_q.data()), q.weight_q.size());
        else if (m.precision != Precision::Int8 && has_weight_tensor(m.graph.layers[i]))
            put(p.weight_address[i], encode_reals(q.weight_f, m.precision));
        put(p.param_address[i], channel_params(m, int(i)));
    }
}

}  // namespace npu

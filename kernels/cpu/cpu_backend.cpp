#include "kernels/cpu/cpu_backend.h"

#include <limits>

#include "kernels/cpu/reference_ops.h"

namespace npu {

HostTensor CpuReference::run_layer(const QuantModel& qm, int i, const std::vector<HostTensor>& outputs) {
    const Layer& l = qm.graph.layers[size_t(i)];
    const QuantLayer& q = qm.layers[size_t(i)];
    const bool int8 = qm.precision == Precision::Int8;
    const float inf = std::numeric_limits<float>::infinity();
    if (l.kind == LayerKind::Input) return qm.inputs[size_t(i)];
    const HostTensor& in = outputs[size_t(l.inputs[0])];
    switch (l.kind) {
        case LayerKind::Input: break;
        case LayerKind::Conv2d:
        case LayerKind::FullyConnected: {
            const ConvGeometry g = ConvGeometry::from_layer(l, in.shape);
            if (int8) {
                const std::vector<int32_t> acc =
                    conv_accumulate_int8(in, g, q.weight_q.data(), q.bias_q.data(),
                                         qm.layers[size_t(l.inputs[0])].out_zero_point, q.weight_zero_point);
                if (q.out_int32) return int32_tensor(acc, l.output);
                if (q.onnx_rounding) return requantize_onnx(acc, l.output, q.requant_scale, q.out_zero_point);
                return requantize_int8(acc, l.output, q.requant, q.clamp);
            }
            return store_float(conv_accumulate_float(in, g, q.weight_f.data(), q.bias_f.data()), l.output, l.activation,
                               qm.precision);
        }
        case LayerKind::MaxPool: return max_pool(in, l.output, l.pool.window);
        case LayerKind::AvgPool: return avg_pool(in, l.output, l.pool.window, l.pool.count_include_pad);
        case LayerKind::GlobalAvgPool: return global_avg_pool(in);
        case LayerKind::Add: {
            const HostTensor& b = outputs[size_t(l.inputs[1])];
            return int8 ? add_int8(in, b, q.add, q.clamp) : add_float(in, b, l.activation);
        }
        case LayerKind::Relu: return clamp(in, q.clamp, 0.0f, inf);
        case LayerKind::Relu6: return clamp(in, q.clamp, 0.0f, 6.0f);
        case LayerKind::Clip: return clamp(in, q.clamp, l.clip.min, l.clip.max);
        case LayerKind::Softmax: return softmax(in, l.softmax, qm.layers[size_t(l.inputs[0])].out_scale);
        case LayerKind::BatchNorm: return channel_affine(in, q.weight_f, q.bias_f);
        case LayerKind::Concat: {
            std::vector<const HostTensor*> parts;
            for (int k : l.inputs) parts.push_back(&outputs[size_t(k)]);
            return concat(parts, l.output, l.concat_axis, q.input_rescale);
        }
        case LayerKind::Flatten:
        case LayerKind::Reshape: {
            HostTensor out = in;
            out.shape = l.output;
            return out;
        }
    }
    return in;
}

HostTensor reference_layer(const QuantModel& model, int index, const std::vector<HostTensor>& outputs) {
    CpuReference cpu;
    return cpu.run_layer(model, index, outputs);
}

std::vector<HostTensor> run_reference(const QuantModel& model) {
    CpuReference cpu;
    return run_model(cpu, model);
}

}  // namespace npu

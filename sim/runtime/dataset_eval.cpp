#include "sim/runtime/dataset_eval.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "kernels/cpu/cpu_backend.h"
#include "kernels/cpu/quantized_model.h"
#include "workloads/ir/float_model.h"

namespace npu {
namespace {

// The batch of images [first, first + n) as the model's input values; the rest of the batch zero.
std::vector<float> batch_values(const Dataset& d, int64_t first, int64_t n, int64_t batch) {
    std::vector<float> v(size_t(batch * d.image_elements()), 0.0f);
    std::copy(d.image(first), d.image(first) + n * d.image_elements(), v.begin());
    return v;
}

void set_input(QuantModel& m, const std::vector<float>& values) {
    const int index = m.graph.input_indices().front();
    HostTensor& t = m.inputs[size_t(index)];
    const float scale = m.layers[size_t(index)].out_scale;
    for (size_t k = 0; k < values.size(); ++k) {
        if (t.precision == Precision::Int8)
            t.int8()[k] = quantize_int8(values[k], scale);
        else
            t.set_real(int64_t(k), values[k]);
    }
}

// The class with the highest score, per image of the batch (first n).
std::vector<int> top1(const HostTensor& scores, int64_t n) {
    const int64_t classes = scores.elements() / scores.shape.n;
    std::vector<int> out;
    for (int64_t i = 0; i < n; ++i) {
        int best = 0;
        for (int64_t c = 1; c < classes; ++c)
            if (scores.value(i * classes + c) > scores.value(i * classes + best)) best = int(c);
        out.push_back(best);
    }
    return out;
}

// The inference model in `precision`, pruned, INT8 scales calibrated on the first batch of
// training images.
QuantModel prepared(const Graph& model, Precision precision, const Dataset& calibration, uint64_t seed,
                    const PruneSpec& prune) {
    FloatModel fm = make_float_model(model, seed);
    const int64_t batch = model.input().output.n;
    fm.inputs[size_t(model.input_indices().front())] =
        batch_values(calibration, 0, std::min(batch, calibration.size()), batch);
    FloatModel inference = prepare_for_inference(fm);
    prune_weights(inference, prune);
    return quantize_model(inference, precision);
}

}  // namespace

DatasetEvaluation evaluate_on_dataset(Simulation& sim, const Graph& model, Precision precision,
                                      const DatasetSplit& split, int64_t images, uint64_t seed,
                                      const EvalProgress& progress, const PruneSpec& prune) {
    const Dataset& test = split.test;
    DatasetEvaluation e;
    e.classes = model.output().output.per_image();
    if (e.classes < test.classes)
        throw WorkloadError(fmt::format("--dataset: '{}' scores {} classes, {} has {}", model.name, e.classes,
                                        test.name, test.classes));
    e.images = images > 0 ? std::min(images, test.size()) : test.size();
    const int64_t batch = model.input().output.n;
    PreparedWorkload w;
    w.model = prepared(model, precision, split.train, seed, prune);
    w.has_values = true;
    w.seed = seed;
    QuantModel reference = prepared(model, Precision::Fp32, split.train, seed, prune);
    sim.release_dram();
    const CompiledModel compiled = sim.compile(w);
    const int last = int(w.model.graph.layers.size()) - 1;
    for (int64_t first = 0; first < e.images; first += batch, ++e.batches) {
        const int64_t n = std::min(batch, e.images - first);
        const std::vector<float> values = batch_values(test, first, n, batch);
        set_input(w.model, values);
        set_input(reference, values);
        sim.load(w.model, compiled);
        const double start = sim.execute(compiled.program);
        const RunResult r = sim.collect(w, compiled, start);
        e.simulated_ns += sim.now_ns() - start;
        e.energy_pj += r.energy.total_pj();
        const std::vector<int> npu = top1(sim.read_tensor(compiled, w.model.graph, last), n);
        const std::vector<int> cpu = top1(run_reference(reference).back(), n);
        for (int64_t i = 0; i < n; ++i) {
            const int label = test.labels[size_t(first + i)];
            e.correct += npu[size_t(i)] == label ? 1 : 0;
            e.reference_correct += cpu[size_t(i)] == label ? 1 : 0;
            e.agree += npu[size_t(i)] == cpu[size_t(i)] ? 1 : 0;
        }
        if (progress) progress(first + n, e.images);
    }
    return e;
}

}  // namespace npu

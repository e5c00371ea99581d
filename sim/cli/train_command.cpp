// npusim train: a model trained on a data set by the CPU reference trainer, with the step
// memory footprint, a progress bar, the per-epoch accuracy and the loss curve as CSV and JSON.
#include <fmt/format.h>

#include <unistd.h>
#include <iostream>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/json_text.h"
#include "kernels/train/footprint.h"
#include "sim/cli/commands.h"
#include "sim/cli/live_gpu.h"
#include "sim/report/report.h"
#include "sim/train/ledger_report.h"
#include "sim/train/npu_gemm_order.h"
#include "sim/train/npu_training_device.h"
#include "sim/train/training_run.h"
#include "sim/train/training_step_estimate.h"
#include "workloads/export/onnx_export.h"
#include "workloads/model_loader.h"
#include "workloads/workload_files.h"
#include "workloads/zoo.h"

namespace npu::cli {
namespace {

constexpr int kNoGpu = 5;  // --device gpu without a usable GPU (as npusim gpu and compare)

struct TrainArgs {
    std::string model, dataset = "fashion-mnist", device = "cpu", precision = "fp32", optimizer = "sgd", arch;
    std::string schedule = "constant", csv, json, save, sum_order = "fast", gpu_backend = "vendor";
    int64_t epochs = 1, batch = 32, accumulate = 1, train_images = 0, test_images = 0, reference_every = 50;
    double lr = -1.0, momentum = 0.9, weight_decay = 0.0;
    uint64_t seed = 1;
    bool quiet = false, timing_only = false;
    std::vector<std::string> limits;
};

// The first `count` images (0: all).
Dataset first(const Dataset& d, int64_t count) {
    if (count <= 0 || count >= d.size()) return d;
    Dataset out = d;
    out.images.resize(size_t(count * d.image_elements()));
    out.labels.resize(size_t(count));
    return out;
}

TrainerConfig trainer_config(const TrainArgs& a, int64_t total_steps) {
    TrainerConfig c;
    if (!parse_train_precision(a.precision, c.precision)) throw UsageError("--precision: unknown");  // parser checked
    parse_optimizer(a.optimizer, c.optimizer.kind);
    parse_schedule(a.schedule, c.optimizer.schedule);
    c.optimizer.lr = a.lr > 0 ? a.lr : (c.optimizer.kind == OptimizerKind::Adam ? 0.001 : 0.01);
    c.optimizer.momentum = a.momentum;
    c.optimizer.weight_decay = a.weight_decay;
    c.optimizer.total_steps = total_steps;
    c.optimizer.step_every = std::max<int64_t>(1, total_steps / 3);  // step schedule: x0.1 at 1/3 and 2/3
    c.micro_batch = a.batch;
    c.accumulate = a.accumulate;
    c.seed = a.seed;
    return c;
}

void print_footprint(const TrainingFootprint& f) {
    fmt::print("memory per step:\n");
    for (const FootprintItem& i : f.items)
        if (i.bytes > 0) fmt::print("  {:<42} {:>12} B  {}\n", i.name, i.bytes, i.lives_in);
    fmt::print("  {:<42} {:>12} B\n", "total", f.total_bytes());
}

StepProgress progress_bar(bool show) {
    const auto start = std::chrono::steady_clock::now();
    return [show, start](const StepLog& s, int64_t total) {
        if (!show) return;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double eta = elapsed / double(s.step) * double(total - s.step);
        fmt::print(stderr,
                   "\r\033[K  step {}/{} (epoch {}): loss {:.4f}, accuracy {:.1f}%, {:.0f} steps/s, ETA {:.0f} s",
                   s.step, total, s.epoch, s.loss, 100.0 * s.accuracy, double(s.step) / elapsed, eta);
        if (s.step == total) fmt::print(stderr, "\n");
    };
}

// The simulated NPU a --device npu run trains on (one elaboration for the whole run).
struct NpuRig {
    NpuRig(const NpuConfig& config, Precision precision, const UpdateRule& rule)
        : sim(config, SimulationOptions{}), device(sim, precision, rule) {}
    Simulation sim;
    NpuTrainingDevice device;
};

UpdateRule update_rule(const TrainerConfig& c) {
    return UpdateRule{c.optimizer.kind, c.precision != TrainPrecision::Fp32, c.accumulate};
}

nlohmann::ordered_json npu_json(const NpuRig& npu, const Graph& graph, const TrainingLog& log) {
    nlohmann::ordered_json j =
        ledger_json(npu.device.ledger(), graph, npu.sim.config(), double(std::max<size_t>(1, log.steps.size())));
    j["forward_programs"] = npu.device.forward_programs();
    if (const StepLog* worst = log.worst_reference())
        j["reference"] = {{"largest_relative_difference", worst->reference_difference()}, {"at_step", worst->step}};
    return j;
}

nlohmann::ordered_json training_json(const TrainArgs& a, const CpuTrainer& trainer, const TrainingLog& log,
                                     const NpuRig* npu) {
    nlohmann::ordered_json epochs = nlohmann::ordered_json::array();
    for (const EpochLog& e : log.epochs)
        epochs.push_back({{"epoch", e.epoch},
                          {"train_loss", e.train_loss},
                          {"train_accuracy", e.train_accuracy},
                          {"test_loss", e.test_loss},
                          {"test_accuracy", e.test_accuracy},
                          {"skipped_steps", e.skipped_steps},
                          {"wall_s", e.wall_s}});
    return {{"model", trainer.graph().name},
            {"dataset", a.dataset},
            {"device", a.device},
            {"precision", a.precision},
            {"sum_order", a.sum_order},
            {"optimizer", a.optimizer},
            {"lr", trainer.config().optimizer.lr},
            {"batch", a.batch},
            {"accumulate", a.accumulate},
            {"seed", a.seed},
            {"steps_per_epoch", log.steps_per_epoch},
            {"epochs", epochs},
            {"wall_s", log.wall_s},
            {"npu", npu ? npu_json(*npu, trainer.graph(), log) : nlohmann::ordered_json(nullptr)}};
}

void print_npu_time(const NpuTrainingDevice& device, const TrainingLog& log, const Graph& graph, const NpuConfig& c) {
    const double steps = double(std::max<size_t>(1, log.steps.size()));
    fmt::print(
        "simulated on {} ({} forward programs; what does not fit the buffers is computed on the host and "
        "timed as vector-unit passes; test accuracy by the CPU reference):\n{}{}",
        c.name, device.forward_programs(), phase_table(device.ledger(), c, steps, log.images_per_step),
        costliest_layers(device.ledger(), graph, steps, 5));
}

void print_epochs(const TrainingLog& log) {
    for (const EpochLog& e : log.epochs)
        fmt::print("epoch {}: train loss {:.4f}, accuracy {:.2f}%; test loss {:.4f}, accuracy {:.2f}%{}; {:.1f} s\n",
                   e.epoch, e.train_loss, 100.0 * e.train_accuracy, e.test_loss, 100.0 * e.test_accuracy,
                   e.skipped_steps ? fmt::format(" ({} step(s) skipped: FP16 overflow)", e.skipped_steps) : "",
                   e.wall_s);
    fmt::print("trained {} steps of {} images in {:.1f} s ({:.0f} images/s)\n", log.steps.size(), log.images_per_step,
               log.wall_s, double(log.steps.size() * log.images_per_step) / log.wall_s);
}

// How far a device's loss may stray from the CPU reference's on the same weights: FP32 differs
// only in the order of sums (1e-4 as the foundation's rule); FP16 and BF16 round every stored
// activation, and a sum landing on the other side of a rounding boundary moves it by an ulp
// (2^-11, 2^-8): about 20 and 13 ulps respectively.
double reference_tolerance(TrainPrecision p) {
    if (p == TrainPrecision::Fp16) return 1e-2;
    if (p == TrainPrecision::Bf16) return 5e-2;
    return 1e-4;
}

// --timing-only: one step's simulated time, phase by phase, without data or arithmetic.
int estimate_step(const TrainArgs& a, const DataPaths& paths, const Limits& limits) {
    if (a.device != "npu" || a.arch.empty()) throw UsageError("--timing-only: needs --device npu and --arch");
    if (a.accumulate < 1) throw UsageError(fmt::format("--accumulate: must be >= 1, got {}", a.accumulate));
    TrainPrecision tp;
    parse_train_precision(a.precision, tp);
    OptimizerKind optimizer;
    parse_optimizer(a.optimizer, optimizer);
    Graph g = training_graph(load_workload_file(resolve_model(a.model, paths.models_dir()), limits, true));
    Limits per_image = limits;
    per_image.per_image_activations = true;  // no tensor is allocated
    reshape_input(g, a.batch, 0, 0, per_image);
    SimulationOptions options;
    options.functional = false;
    options.limits = per_image;
    Simulation sim(resolve_design_args(DesignArgs{a.arch, {}, "", "", a.limits, "", "", ""}, paths).config, options);
    const TrainingStepEstimate e = estimate_training_step(
        sim, g, storage_precision(tp), UpdateRule{optimizer, tp != TrainPrecision::Fp32, a.accumulate});
    fmt::print("npusim train --timing-only: {} on {}, {}, {}, batch {} x {} micro-batch(es): one step\n{}{}", g.name,
               sim.config().name, a.precision, a.optimizer, a.batch, a.accumulate,
               phase_table(e.step, sim.config(), 1.0, a.batch * a.accumulate), costliest_layers(e.step, g, 1.0, 5));
    const Footprint& m = e.forward_memory;
    fmt::print(
        "forward program memory: on-chip peak {} B (tile slots; training keeps every activation in DRAM for the "
        "backward pass), DRAM footprint {} B ({} B weights and channel parameters)\n",
        m.onchip_peak_bytes, m.dram_bytes, m.weight_bytes);
    if (!a.json.empty()) {
        nlohmann::ordered_json j{{"model", g.name},
                                 {"precision", a.precision},
                                 {"optimizer", a.optimizer},
                                 {"batch", a.batch},
                                 {"accumulate", a.accumulate}};
        j["npu"] = ledger_json(e.step, g, sim.config(), 1.0);
        j["forward_memory"] = {{"onchip_peak_bytes", m.onchip_peak_bytes},
                               {"dram_footprint_bytes", m.dram_bytes},
                               {"weight_bytes", m.weight_bytes}};
        write_file(a.json, json_text(j) + "\n");
    }
    return 0;
}

// A step that needs more memory than the design's DRAM holds stops before training.
void check_capacity(const TrainingFootprint& f, const NpuConfig& c, const TrainArgs& a) {
    const double gib = double(f.total_bytes()) / double(1LL << 30);
    if (c.dram.capacity_gib <= 0 || gib <= c.dram.capacity_gib) return;
    throw WorkloadError(fmt::format(
        "a training step needs {:.2f} GiB ({:.2f} GiB of it activations and their gradients, which scale with "
        "--batch {}) but design '{}' has {:.0f} GiB of DRAM: use --accumulate K with --batch {} / K, or a smaller "
        "--batch",
        gib, double(f.per_micro_batch_bytes()) / double(1LL << 30), a.batch, c.name, c.dram.capacity_gib, a.batch));
}

// The arguments of a training run (not --timing-only) that need no file to check.
void check_run_args(const TrainArgs& a) {
    if (a.device == "npu" && a.arch.empty())
        throw UsageError("--device npu: needs --arch (a design listing the precision)");
    if (a.sum_order == "npu" && a.arch.empty()) throw UsageError("--sum-order npu: needs --arch (whose order)");
    if (a.device != "npu" && a.sum_order == "fast" && !a.arch.empty())
        throw UsageError("--arch: used by --device npu or --sum-order npu only");
    if (a.epochs < 1) throw UsageError(fmt::format("--epochs: must be >= 1, got {}", a.epochs));
    if (a.reference_every < 0)
        throw UsageError(fmt::format("--reference-every: must be >= 0, got {}", a.reference_every));
}

// The data set, padded to the model's input, cut to --train-images and --test-images.
struct TrainData {
    Dataset train, test;
    std::string name;
    int64_t classes = 0;
};

TrainData load_train_data(const TrainArgs& a, const Shape& in, const Limits& limits) {
    const DatasetSplit data = load_dataset(a.dataset, DatasetPaths{}, limits);
    return {first(pad_to(data.train, in.c, in.h, in.w), a.train_images),
            first(pad_to(data.test, in.c, in.h, in.w), a.test_images), data.train.name, data.train.classes};
}

// --device gpu's device (the backend checked against the precision first), else nullptr; also
// nullptr, with the reason, where no GPU is usable.
std::unique_ptr<TrainingDevice> gpu_device(const TrainArgs& a, std::string& why_not) {
    TrainPrecision precision;
    parse_train_precision(a.precision, precision);  // checked by the parser
    const ConvKernel backend = gpu_backend_option("--gpu-backend", a.gpu_backend, storage_precision(precision));
    return a.device == "gpu" ? gpu_training_device(backend, precision, why_not) : nullptr;
}

void print_reference(const TrainingLog& log, const TrainArgs& a, const char* device, const TrainerConfig& config) {
    const StepLog* worst = log.worst_reference();
    if (!worst) return;
    fmt::print(
        "loss on the {} against the CPU reference on the same weights and images (every {} steps): largest "
        "relative difference {:.2g} at step {} ({})\n",
        device, a.reference_every, worst->reference_difference(), worst->step,
        config.sum_order ? std::string("expected 0: the reference adds in the NPU's order")
                         : fmt::format("tolerance {:.0e} for {}", reference_tolerance(config.precision), a.precision));
}

// --csv, --json and --save.
void write_outputs(const TrainArgs& a, const CpuTrainer& trainer, const TrainingLog& log, const Graph& model,
                   const NpuRig* npu) {
    if (!a.csv.empty()) write_file(a.csv, training_csv(log));
    if (!a.json.empty()) write_file(a.json, json_text(training_json(a, trainer, log, npu)) + "\n");
    if (!a.save.empty()) {
        save_onnx(a.save, model, trained_tensors(trainer, model));
        fmt::print("saved the trained model: {} (npusim run --workload {})\n", a.save, a.save);
    }
}

int train(const TrainArgs& a, const DataPaths& paths) {
    const Limits limits = parse_limits(a.limits);
    check_output_files({{"--csv", a.csv}, {"--json", a.json}, {"--save", a.save}});
    if (a.timing_only) return estimate_step(a, paths, limits);
    check_run_args(a);
    std::string no_gpu;  // before the data set loads: a run that cannot start says so at once
    const std::unique_ptr<TrainingDevice> gpu = gpu_device(a, no_gpu);
    if (a.device == "gpu" && !gpu) {
        std::cerr << "npusim train: no usable GPU here (" << no_gpu << ")\n";
        return kNoGpu;
    }
    const Graph model = load_workload_file(resolve_model(a.model, paths.models_dir()), limits);
    const TrainData data = load_train_data(a, model.input().output, limits);
    const int64_t steps = data.train.size() / std::max<int64_t>(1, a.batch * a.accumulate) * a.epochs;
    TrainerConfig config = trainer_config(a, steps);
    const NpuConfig design =
        a.arch.empty() ? NpuConfig{}
                       : resolve_design_args(DesignArgs{a.arch, {}, "", "", a.limits, "", "", ""}, paths).config;
    const NpuGemmOrder design_order(design, storage_precision(config.precision));
    if (a.sum_order == "npu") {
        if (!design.supports(storage_precision(config.precision)))
            throw UsageError(fmt::format("--sum-order npu: design '{}' has no {} MACs", design.name, a.precision));
        config.sum_order = &design_order;
    }
    CpuTrainer trainer(model, config);
    std::unique_ptr<NpuRig> npu;
    if (a.device == "npu") {
        npu = std::make_unique<NpuRig>(design, storage_precision(config.precision), update_rule(config));
        trainer.set_device(&npu->device);
    }
    if (gpu) trainer.set_device(gpu.get());
    if (trainer.classes() < data.classes)
        throw WorkloadError(fmt::format("--model: '{}' scores {} classes, the data set has {}", model.name,
                                        trainer.classes(), data.classes));
    const std::string where =
        npu   ? "on the simulated NPU " + npu->sim.config().name
        : gpu ? "on the GPU (" + a.gpu_backend + " backend)"
              : "on the CPU reference" + (config.sum_order ? " in the sums' order of " + design.name : std::string());
    fmt::print(
        "npusim train: {} on {} ({} training, {} test images), {}, {}, batch {} x {} micro-batch(es), {} lr {}\n",
        model.name, data.name, data.train.size(), data.test.size(), where, a.precision, a.batch, a.accumulate,
        a.optimizer, trainer.config().optimizer.lr);
    const TrainingFootprint footprint = training_footprint(trainer);
    print_footprint(footprint);
    if (npu) check_capacity(footprint, npu->sim.config(), a);
    TrainingOptions options;
    options.epochs = a.epochs;
    options.shuffle_seed = a.seed;
    options.reference_every = npu || gpu ? a.reference_every : 0;
    const TrainingLog log =
        run_training(trainer, data.train, data.test, options, progress_bar(!a.quiet && isatty(STDERR_FILENO)));
    print_epochs(log);
    if (npu) print_npu_time(npu->device, log, trainer.graph(), npu->sim.config());
    print_reference(log, a, npu ? "NPU" : "GPU", config);
    write_outputs(a, trainer, log, model, npu.get());
    return 0;
}

}  // namespace

Action add_train_command(CLI::App& app, const DataPaths& paths) {
    auto a = std::make_shared<TrainArgs>();
    app.add_option("--model", a->model, "Model: a zoo name (lenet5) or a model file (YAML, ONNX)")->required();
    app.add_option("--dataset", a->dataset, "fashion-mnist (default), digits, or a directory of IDX files");
    app.add_option("--epochs", a->epochs, "Passes over the training set (default 1)");
    app.add_option("--batch", a->batch, "Images per micro-batch (default 32)");
    app.add_option("--accumulate", a->accumulate, "Micro-batches per update: gradient accumulation (default 1)");
    add_choice_option(app, "--precision", a->precision, {"fp32", "fp16", "bf16"},
                      "fp32, fp16 (mixed, loss scaling) or bf16 (mixed); FP32 master weights");
    add_choice_option(app, "--optimizer", a->optimizer, {"sgd", "adam"}, "sgd (momentum) or adam");
    add_choice_option(app, "--schedule", a->schedule, {"constant", "step", "cosine"}, "Learning-rate schedule");
    add_choice_option(app, "--device", a->device, {"cpu", "npu", "gpu"},
                      "cpu: the reference trainer; npu: every step on the simulated NPU (--arch); gpu: on this "
                      "machine's GPU");
    add_choice_option(app, "--gpu-backend", a->gpu_backend, gpu_backend_choices(),
                      "--device gpu: the GPU kernels (default vendor; see npusim gpu --backend)");
    app.add_option("--arch", a->arch, "--device npu: the design (name or file) to train on");
    app.add_option("--lr", a->lr, "Learning rate (default 0.01 for sgd, 0.001 for adam)");
    app.add_option("--momentum", a->momentum, "SGD momentum (default 0.9)");
    app.add_option("--weight-decay", a->weight_decay, "L2 weight decay (default 0)");
    app.add_option("--reference-every", a->reference_every,
                   "--device npu or gpu: every N-th step's loss also from the CPU reference on the same weights "
                   "(default 50; 0: never)");
    add_choice_option(app, "--sum-order", a->sum_order, {"fast", "npu"},
                      "The CPU reference's order of sums: fast (Eigen's blocked GEMMs, default) or npu (the --arch "
                      "design's folds and tiles, softmax and roundings: a CPU run then repeats an NPU run's bits)");
    app.add_option("--seed", a->seed, "Initial weights and data order (default 1)");
    app.add_option("--train-images", a->train_images, "Train on the first N images only (default all)");
    app.add_option("--test-images", a->test_images, "Test on the first N images only (default all)");
    app.add_option("--csv", a->csv, "Write the loss and accuracy curve (one row per step and per epoch)");
    app.add_option("--json", a->json, "Write the run's settings and per-epoch results");
    app.add_option("--save", a->save, "Write the trained model as ONNX (opset 13) for npusim run or any runtime");
    app.add_flag("--timing-only", a->timing_only,
                 "--device npu: one step's simulated time by phase, without data or arithmetic");
    app.add_flag("--quiet", a->quiet, "No progress bar");
    add_limit_option(app, a->limits);
    return [a, &paths] { return train(*a, paths); };
}

}  // namespace npu::cli

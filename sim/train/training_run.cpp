#include "sim/train/training_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "common/error.h"
#include "workloads/ir/seeded_rng.h"

namespace npu {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Fisher-Yates with the portable generator: the same order on every platform.
std::vector<int64_t> shuffled(int64_t n, uint64_t seed) {
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    SeededRng rng(seed);
    for (int64_t i = n - 1; i > 0; --i) {
        const int64_t j = std::min(i, int64_t(rng.uniform() * double(i + 1)));
        std::swap(order[size_t(i)], order[size_t(j)]);
    }
    return order;
}

}  // namespace

double StepLog::reference_difference() const {
    return std::fabs(loss - reference_loss) / std::max(reference_loss, 1e-30);
}

const StepLog* TrainingLog::worst_reference() const {
    const StepLog* worst = nullptr;
    for (const StepLog& s : steps)
        if (s.has_reference() && (!worst || s.reference_difference() > worst->reference_difference())) worst = &s;
    return worst;
}

TrainingLog run_training(CpuTrainer& trainer, const Dataset& train, const Dataset& test, const TrainingOptions& options,
                         const StepProgress& progress) {
    TrainingLog log;
    log.images_per_step = trainer.config().micro_batch * trainer.config().accumulate;
    log.steps_per_epoch = train.size() / log.images_per_step;
    if (log.steps_per_epoch < 1)
        throw UsageError(fmt::format("--batch: a step takes {} images (batch x accumulate), the training set has {}",
                                     log.images_per_step, train.size()));
    const int64_t per_image = train.image_elements();
    std::vector<float> images(size_t(log.images_per_step * per_image));
    std::vector<int32_t> labels(size_t(log.images_per_step));
    const auto run_start = Clock::now();
    for (int64_t epoch = 1; epoch <= options.epochs; ++epoch) {
        const auto epoch_start = Clock::now();
        const std::vector<int64_t> order = shuffled(train.size(), options.shuffle_seed + uint64_t(epoch));
        EpochLog e;
        e.epoch = epoch;
        for (int64_t s = 0; s < log.steps_per_epoch; ++s) {
            for (int64_t k = 0; k < log.images_per_step; ++k) {
                const int64_t index = order[size_t(s * log.images_per_step + k)];
                std::copy(train.image(index), train.image(index) + per_image, images.begin() + k * per_image);
                labels[size_t(k)] = train.labels[size_t(index)];
            }
            const int64_t number = int64_t(log.steps.size()) + 1;
            const bool reference =
                options.reference_every > 0 && (number == 1 || number % options.reference_every == 0);
            const double reference_loss = reference ? trainer.batch_loss(images.data(), labels.data()) : -1.0;
            const StepResult r = trainer.step(images.data(), labels.data());
            StepLog step{epoch, number,       r.loss,    double(r.correct) / double(log.images_per_step),
                         r.lr,  r.loss_scale, r.skipped, reference_loss};
            e.train_loss += r.loss / double(log.steps_per_epoch);
            e.train_accuracy += step.accuracy / double(log.steps_per_epoch);
            e.skipped_steps += r.skipped ? 1 : 0;
            log.steps.push_back(step);
            if (progress) progress(step, log.steps_per_epoch * options.epochs);
        }
        const EvalResult t = trainer.evaluate(test.images.data(), test.labels.data(), test.size());
        e.test_loss = t.loss;
        e.test_accuracy = t.accuracy;
        e.wall_s = seconds_since(epoch_start);
        log.epochs.push_back(e);
    }
    log.wall_s = seconds_since(run_start);
    return log;
}

std::string training_csv(const TrainingLog& log) {
    std::string out = "phase,epoch,step,loss,accuracy,lr,loss_scale,skipped,reference_loss\n";
    for (const StepLog& s : log.steps)
        out += fmt::format("train,{},{},{:.9g},{:.6g},{:.6g},{:.6g},{},{}\n", s.epoch, s.step, s.loss, s.accuracy, s.lr,
                           s.loss_scale, s.skipped ? 1 : 0,
                           s.has_reference() ? fmt::format("{:.9g}", s.reference_loss) : "");
    for (const EpochLog& e : log.epochs)
        out += fmt::format("test,{},{},{:.6g},{:.6g},,,{},\n", e.epoch, e.epoch * log.steps_per_epoch, e.test_loss,
                           e.test_accuracy, e.skipped_steps);
    return out;
}

}  // namespace npu

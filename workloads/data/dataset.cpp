#include "workloads/data/dataset.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "common/error.h"
#include "common/file_text.h"
#include "workloads/data/gzip.h"
#include "workloads/data/idx_reader.h"

namespace npu {
namespace {

namespace fs = std::filesystem;

// The IDX file `stem` in `dir`, gzip-compressed or not.
std::string idx_path(const std::string& dir, const std::string& stem) {
    for (const std::string& name : {stem + ".gz", stem})
        if (fs::exists(fs::path(dir) / name)) return (fs::path(dir) / name).string();
    throw WorkloadError(fmt::format("{}: no {} or {}.gz", dir, stem, stem));
}

Dataset read_idx_pair(const std::string& dir, const std::string& prefix, const Limits& limits) {
    const std::string images_path = idx_path(dir, prefix + "-images-idx3-ubyte");
    const std::string labels_path = idx_path(dir, prefix + "-labels-idx1-ubyte");
    const IdxArray images = read_idx_file(images_path, limits);
    const IdxArray labels = read_idx_file(labels_path, limits);
    if (images.dims.size() != 3)
        throw WorkloadError(
            fmt::format("{}: expected N x rows x cols images, got rank {}", images_path, images.dims.size()));
    if (labels.dims.size() != 1 || labels.dims[0] != images.dims[0])
        throw WorkloadError(
            fmt::format("{}: expected {} labels (one per image of {})", labels_path, images.dims[0], images_path));
    Dataset d;
    d.height = images.dims[1];
    d.width = images.dims[2];
    d.images.resize(size_t(images.elements()));
    for (size_t i = 0; i < d.images.size(); ++i) d.images[i] = float(images.value(i) / 255.0);
    for (int64_t i = 0; i < labels.dims[0]; ++i) {
        const double v = labels.value(size_t(i));
        if (v < 0 || v > 255 || v != std::floor(v))
            throw WorkloadError(fmt::format("{}: label {} is {}, not a class index", labels_path, i, v));
        d.labels.push_back(int32_t(v));
        d.classes = std::max(d.classes, int32_t(v) + 1);
    }
    return d;
}

DatasetSplit read_idx_dir(const std::string& dir, const std::string& name, const Limits& limits) {
    DatasetSplit s{read_idx_pair(dir, "train", limits), read_idx_pair(dir, "t10k", limits)};
    if (s.train.height != s.test.height || s.train.width != s.test.width)
        throw WorkloadError(fmt::format("{}: training images are {}x{}, test images {}x{}", dir, s.train.height,
                                        s.train.width, s.test.height, s.test.width));
    s.train.classes = s.test.classes = std::max(s.train.classes, s.test.classes);
    s.train.name = s.test.name = name;
    return s;
}

// scikit-learn's digits.csv: 1797 rows of 64 pixel values (0..16) and the label. The first 1437
// rows train, the last 360 test (an 80/20 split in file order).
DatasetSplit read_digits(const std::string& path) {
    const std::optional<std::string> file = try_read_file(path);
    if (!file)
        throw WorkloadError(fmt::format("{}: the digits data set is missing (apt-get install python3-sklearn)", path));
    const std::string text = is_gzip(*file) ? gunzip(*file, size_t(64) << 20, path, "(digits are under 1 MB)") : *file;
    Dataset all;
    all.name = "digits";
    all.height = all.width = 8;
    all.classes = 10;
    std::istringstream lines(text);
    std::string line;
    for (int row = 1; std::getline(lines, line); ++row) {
        if (line.empty()) continue;
        std::istringstream cells(line);
        std::string cell;
        std::vector<double> values;
        while (std::getline(cells, cell, ',')) {
            char* end = nullptr;
            values.push_back(std::strtod(cell.c_str(), &end));
            if (end == cell.c_str()) throw WorkloadError(fmt::format("{}:{}: '{}' is not a number", path, row, cell));
        }
        if (values.size() != 65 || values[64] < 0 || values[64] > 9 || values[64] != std::floor(values[64]))
            throw WorkloadError(fmt::format("{}:{}: expected 64 pixels and a label 0..9", path, row));
        for (int k = 0; k < 64; ++k) all.images.push_back(float(values[size_t(k)] / 16.0));
        all.labels.push_back(int32_t(values[64]));
    }
    if (all.size() < 10) throw WorkloadError(fmt::format("{}: only {} rows", path, all.size()));
    DatasetSplit s{all, all};
    const int64_t train = all.size() * 4 / 5;
    s.train.images.resize(size_t(train * 64));
    s.train.labels.resize(size_t(train));
    s.test.images.erase(s.test.images.begin(), s.test.images.begin() + train * 64);
    s.test.labels.erase(s.test.labels.begin(), s.test.labels.begin() + train);
    return s;
}

// Mean 0 and standard deviation 1 over the training images, the same map applied to the test set.
void normalize(DatasetSplit& s) {
    double sum = 0, squares = 0;
    for (float v : s.train.images) {
        sum += v;
        squares += double(v) * v;
    }
    const double n = double(s.train.images.size());
    const double mean = sum / n, stddev = std::sqrt(std::max(1e-12, squares / n - mean * mean));
    for (Dataset* d : {&s.train, &s.test})
        for (float& v : d->images) v = float((v - mean) / stddev);
}

}  // namespace

DatasetSplit load_dataset(const std::string& spec, const DatasetPaths& paths, const Limits& limits) {
    DatasetSplit s;
    if (spec == "fashion-mnist") {
        if (!fs::exists(paths.fashion_mnist_dir))
            throw WorkloadError(fmt::format("{}: Fashion-MNIST is missing (apt-get install dataset-fashion-mnist)",
                                            paths.fashion_mnist_dir));
        s = read_idx_dir(paths.fashion_mnist_dir, "fashion-mnist", limits);
    } else if (spec == "digits") {
        s = read_digits(paths.digits_csv);
    } else if (fs::is_directory(spec)) {
        s = read_idx_dir(spec, fs::path(spec).filename().string(), limits);
    } else {
        throw UsageError(fmt::format("--dataset: '{}' is not fashion-mnist, digits or a directory of IDX files", spec));
    }
    if (s.train.size() == 0 || s.test.size() == 0)
        throw WorkloadError(fmt::format("data set '{}': the training or the test set is empty", spec));
    normalize(s);
    return s;
}

Dataset pad_to(const Dataset& d, int64_t channels, int64_t height, int64_t width) {
    if (d.channels != channels || d.height > height || d.width > width)
        throw WorkloadError(fmt::format("data set '{}': {}x{}x{} images do not fit the model's {}x{}x{} input", d.name,
                                        d.channels, d.height, d.width, channels, height, width));
    if (d.height == height && d.width == width) return d;
    Dataset out = d;
    out.height = height;
    out.width = width;
    out.images.assign(size_t(d.size() * channels * height * width), 0.0f);
    const int64_t top = (height - d.height) / 2, left = (width - d.width) / 2;
    for (int64_t i = 0; i < d.size(); ++i)
        for (int64_t c = 0; c < channels; ++c)
            for (int64_t y = 0; y < d.height; ++y)
                for (int64_t x = 0; x < d.width; ++x)
                    out.images[size_t(((i * channels + c) * height + top + y) * width + left + x)] =
                        d.images[size_t(((i * channels + c) * d.height + y) * d.width + x)];
    return out;
}

}  // namespace npu

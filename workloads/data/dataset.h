#pragma once
// Labelled image data sets for training: Fashion-MNIST (Debian package dataset-fashion-mnist,
// IDX files), the 8x8 digits of scikit-learn (python3-sklearn, a CSV), or a directory holding the
// four IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...).
#include <cstdint>
#include <string>
#include <vector>

#include "common/limits.h"
#include "common/shape.h"

namespace npu {

struct Dataset {
    std::string name;
    int64_t channels = 1, height = 0, width = 0;
    int classes = 0;
    std::vector<float> images;    // N x C x H x W, normalized (mean 0, standard deviation 1 over the training set)
    std::vector<int32_t> labels;  // N, each in [0, classes)

    int64_t size() const { return int64_t(labels.size()); }
    int64_t image_elements() const { return channels * height * width; }
    const float* image(int64_t i) const { return images.data() + i * image_elements(); }
};

struct DatasetSplit {
    Dataset train, test;
};

// Where the named data sets live (overridable for tests).
struct DatasetPaths {
    std::string fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";
    std::string digits_csv = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";
};

// `spec`: "fashion-mnist", "digits" or a directory of IDX files. A missing data set is a
// WorkloadError naming the Debian package that provides it.
DatasetSplit load_dataset(const std::string& spec, const DatasetPaths& paths = {}, const Limits& limits = {});

// Images zero-padded (centred) to `height` x `width`, as LeNet-5 reads 28x28 digits at 32x32;
// an image larger than the target, or with other channels, is a WorkloadError naming both.
Dataset pad_to(const Dataset& d, int64_t channels, int64_t height, int64_t width);

}  // namespace npu

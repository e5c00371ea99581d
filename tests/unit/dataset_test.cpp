// Data sets for training: IDX directories written here, normalization, padding, and clear errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "idx_writer.h"
#include "workloads/data/dataset.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

// An IDX pair of `n` images of rows x cols with pixel value (i * 10 + k) % 256 and label i % 3.
void write_pair(const fs::path& dir, const std::string& prefix, uint32_t n, uint32_t rows, uint32_t cols) {
    test::write_idx_pair(
        dir, prefix, n, rows, cols, [](uint32_t i, uint32_t k) { return (i * 10 + k) % 256; },
        [](uint32_t i) { return i % 3; });
}

fs::path fresh_dir(const std::string& name) {
    const fs::path dir = fs::path(NPUSIM_TEST_TMP) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("an IDX directory loads as a normalized training and test set", "[data]") {
    const fs::path dir = fresh_dir("idx_dataset");
    write_pair(dir, "train", 6, 4, 5);
    write_pair(dir, "t10k", 3, 4, 5);
    const DatasetSplit s = load_dataset(dir.string());
    CHECK(s.train.size() == 6);
    CHECK(s.test.size() == 3);
    CHECK(s.train.height == 4);
    CHECK(s.train.width == 5);
    CHECK(s.train.classes == 3);
    CHECK(s.train.labels == std::vector<int32_t>{0, 1, 2, 0, 1, 2});
    double sum = 0, squares = 0;
    for (float v : s.train.images) {
        sum += v;
        squares += double(v) * v;
    }
    const double n = double(s.train.images.size());
    CHECK(sum / n == Approx(0.0).margin(1e-5));
    CHECK(squares / n == Approx(1.0).epsilon(1e-4));
    // Pixels keep their order: image 1 pixel 2 is raw 12, image 0 pixel 0 is raw 0.
    const float step = s.train.images[1] - s.train.images[0];  // one raw unit
    CHECK(s.train.image(1)[2] - s.train.image(0)[0] == Approx(12 * step));
}

TEST_CASE("padding centres images in a larger input", "[data]") {
    Dataset d;
    d.name = "d";
    d.height = d.width = 2;
    d.images = {1, 2, 3, 4};
    d.labels = {0};
    const Dataset p = pad_to(d, 1, 4, 4);
    CHECK(p.images == std::vector<float>{0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0});
    CHECK_THROWS_WITH(pad_to(d, 1, 1, 4), Contains("2x2") && Contains("do not fit"));
    CHECK_THROWS_WITH(pad_to(d, 3, 4, 4), Contains("do not fit"));
}

TEST_CASE("missing or malformed data sets name the file or the package", "[data]") {
    DatasetPaths paths;
    paths.fashion_mnist_dir = "/nonexistent/fashion";
    paths.digits_csv = "/nonexistent/digits.csv.gz";
    CHECK_THROWS_WITH(load_dataset("fashion-mnist", paths), Contains("apt-get install dataset-fashion-mnist"));
    CHECK_THROWS_WITH(load_dataset("digits", paths), Contains("apt-get install python3-sklearn"));
    CHECK_THROWS_AS(load_dataset("no-such-set", paths), UsageError);
    const fs::path dir = fresh_dir("idx_mismatch");
    write_pair(dir, "train", 6, 4, 5);
    CHECK_THROWS_WITH(load_dataset(dir.string()), Contains("t10k-images-idx3-ubyte"));
    write_pair(dir, "t10k", 3, 5, 5);
    CHECK_THROWS_WITH(load_dataset(dir.string()), Contains("training images are 4x5, test images 5x5"));
    write_pair(dir, "t10k", 3, 4, 5);
    std::ofstream labels(dir / "t10k-labels-idx1-ubyte", std::ios::binary);
    labels.write("\0\0\x08\x01", 4);
    test::write_be32(labels, 2);
    labels.write("\0\0", 2);
    labels.close();
    CHECK_THROWS_WITH(load_dataset(dir.string()), Contains("expected 3 labels"));
}

TEST_CASE("the digits CSV loads with an 80/20 split", "[data]") {
    const fs::path dir = fresh_dir("digits_csv");
    std::ofstream csv(dir / "digits.csv");
    for (int i = 0; i < 20; ++i) {
        for (int k = 0; k < 64; ++k) csv << (i + k) % 17 << ",";
        csv << i % 10 << "\n";
    }
    csv.close();
    DatasetPaths paths;
    paths.digits_csv = (dir / "digits.csv").string();
    const DatasetSplit s = load_dataset("digits", paths);
    CHECK(s.train.size() == 16);
    CHECK(s.test.size() == 4);
    CHECK(s.test.labels == std::vector<int32_t>{6, 7, 8, 9});
    CHECK(s.train.height == 8);
    std::ofstream bad(dir / "bad.csv");
    bad << "1,2,3\n";
    bad.close();
    paths.digits_csv = (dir / "bad.csv").string();
    CHECK_THROWS_WITH(load_dataset("digits", paths), Contains("bad.csv:1") && Contains("64 pixels"));
}

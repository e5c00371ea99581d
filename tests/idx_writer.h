#pragma once
// Small IDX data sets written by tests (the Fashion-MNIST file format, uncompressed).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace npu::test {

inline void write_be32(std::ofstream& f, uint32_t v) {
    const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    f.write(b, 4);
}

// `prefix`-images-idx3-ubyte and -labels-idx1-ubyte: `n` images of rows x cols. pixel(i, k) gives
// image i's pixel k (0..255), label(i) its class.
template <class Pixel, class Label>
void write_idx_pair(const std::filesystem::path& dir, const std::string& prefix, uint32_t n, uint32_t rows,
                    uint32_t cols, Pixel pixel, Label label) {
    std::ofstream images(dir / (prefix + "-images-idx3-ubyte"), std::ios::binary);
    images.write("\0\0\x08\x03", 4);
    for (uint32_t d : {n, rows, cols}) write_be32(images, d);
    for (uint32_t i = 0; i < n; ++i)
        for (uint32_t k = 0; k < rows * cols; ++k) images.put(char(pixel(i, k)));
    std::ofstream labels(dir / (prefix + "-labels-idx1-ubyte"), std::ios::binary);
    labels.write("\0\0\x08\x01", 4);
    write_be32(labels, n);
    for (uint32_t i = 0; i < n; ++i) labels.put(char(label(i)));
}

}  // namespace npu::test

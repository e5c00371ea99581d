// The files a user's data comes in: .npy arrays, PGM/PPM/PNG images and how they become a
// network's input (resize, channels, normalization), with every malformed file named.
#include <png.h>
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "workloads/data/image_file.h"
#include "workloads/data/npy_file.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

// A .npy as numpy.save writes it, with any descr and header.
std::string npy_with(const std::string& dict, const std::string& data) {
    std::string header = dict;
    while ((10 + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    std::string out = "\x93NUMPY\x01";
    out += '\0';
    out += char(header.size() & 0xff);
    out += char(header.size() >> 8);
    return out + header + data;
}

// Unit test cases run as parallel processes: each writes in its own folder.
std::string scratch(const std::string& name) {
    const std::string dir = std::string(NPUSIM_TEST_TMP) + "/tensor_files_" + std::to_string(getpid());
    std::filesystem::create_directories(dir);
    return dir + "/" + name;
}

}  // namespace

TEST_CASE(".npy: float32 round trip, other element types read as numbers", "[unit][npy]") {
    const std::vector<float> values{1.5f, -2.0f, 0.0f, 3.25f, 7.0f, -0.5f};
    const std::string bytes = npy_bytes({2, 3}, values);
    CHECK(bytes.size() % 64 == 6 * 4 % 64);  // the header pads the data to a 64-byte boundary
    const NpyArray a = parse_npy(bytes, "t.npy");
    CHECK(a.shape == std::vector<int64_t>{2, 3});
    CHECK(a.values == values);
    const std::string u8 = npy_with("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", "\x01\x02\xff");
    CHECK(parse_npy(u8, "u8.npy").values == std::vector<float>{1, 2, 255});
    double d[2] = {0.25, -8};
    const std::string f8 = npy_with("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }",
                                    std::string(reinterpret_cast<const char*>(d), sizeof d));
    CHECK(parse_npy(f8, "f8.npy").values == std::vector<float>{0.25f, -8.0f});
    int16_t s[1] = {-300};
    const std::string i2 = npy_with("{'descr': '<i2', 'fortran_order': False, 'shape': (1,), }",
                                    std::string(reinterpret_cast<const char*>(s), sizeof s));
    CHECK(parse_npy(i2, "i2.npy").values == std::vector<float>{-300});
}

TEST_CASE(".npy: every malformed file is one error naming it", "[unit][npy]") {
    const std::string four(4 * 4, '\0');
    struct Case {
        std::string bytes, message;
    };
    const Case cases[] = {
        {"PK\x03\x04 not numpy", "no \\x93NUMPY magic"},
        {npy_with("{'descr': '>f4', 'fortran_order': False, 'shape': (4,), }", four), "element type '>f4'"},
        {npy_with("{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }", four), "element type '<f2'"},
        {npy_with("{'descr': '<f4', 'fortran_order': True, 'shape': (4,), }", four), "fortran_order is True"},
        {npy_with("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", four), "needs 20 bytes of data"},
        {npy_with("{'descr': '<f4', 'fortran_order': False, }", four), "the header has no 'shape'"},
        {npy_with("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,), }", four), "dimension"},
        {npy_with("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }", four), "tensor_elements"},
    };
    for (const Case& c : cases) {
        INFO(c.message);
        CHECK_THROWS_WITH(parse_npy(c.bytes, "bad.npy"), Contains("bad.npy: ") && Contains(c.message));
    }
    float nan = std::nanf("");
    CHECK_THROWS_WITH(parse_npy(npy_bytes({1}, {nan}), "nan.npy"), Contains("element 0 is not a finite number"));
}

TEST_CASE("images: PGM and PNG read, resized with pixel centres aligned, normalized", "[unit][image]") {
    const std::string pgm = scratch("two.pgm");
    std::ofstream(pgm, std::ios::binary) << "P5\n# a comment\n2 1\n255\n" << char(0) << char(255);
    const Image im = read_image_file(pgm);
    REQUIRE((im.channels == 1 && im.height == 1 && im.width == 2));
    CHECK(im.values == std::vector<float>{0.0f, 1.0f});
    // 2 -> 4 columns: samples at x = -0.25, 0.25, 0.75, 1.25 clamp to the edges.
    CHECK(to_network_input(im, 1, 1, 4, {}) == std::vector<float>{0.0f, 0.25f, 0.75f, 1.0f});
    // Gray repeated over three channels, each with its own mean and std.
    const std::vector<float> rgb = to_network_input(im, 3, 1, 2, {{0.5f, 0.0f, 1.0f}, {0.5f, 1.0f, 2.0f}});
    CHECK(rgb == std::vector<float>{-1.0f, 1.0f, 0.0f, 1.0f, -0.5f, 0.0f});
    CHECK_THROWS_WITH(to_network_input(im, 3, 1, 2, {{0.1f, 0.2f}, {1.0f}}), Contains("2 values for a 3-channel"));

    // An RGB PNG written by libpng: averaged to one channel with the BT.601 weights.
    const std::string png = scratch("rgb.png");
    png_image out{};
    out.version = PNG_IMAGE_VERSION;
    out.width = 1;
    out.height = 1;
    out.format = PNG_FORMAT_RGB;
    const uint8_t pixel[3] = {255, 0, 0};
    REQUIRE(png_image_write_to_file(&out, png.c_str(), 0, pixel, 0, nullptr));
    const Image red = read_image_file(png);
    REQUIRE(red.channels == 3);
    CHECK(red.values == std::vector<float>{1.0f, 0.0f, 0.0f});
    CHECK(to_network_input(red, 1, 1, 1, {})[0] == Approx(0.299f));

    std::ofstream(scratch("bad.pgm"), std::ios::binary) << "P5\n4 4\n255\n" << char(1);
    CHECK_THROWS_WITH(read_image_file(scratch("bad.pgm")), Contains("bad.pgm: 4x4 pixels need more data"));
    std::ofstream(scratch("text.png")) << "not a png";
    CHECK_THROWS_WITH(read_image_file(scratch("text.png")), Contains("text.png: not a PNG file"));
    CHECK_THROWS_WITH(read_image_file(scratch("x.bmp")), Contains("unknown image type '.bmp'"));
}

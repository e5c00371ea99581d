#include "workloads/data/image_file.h"

#include <fmt/format.h>
#include <png.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

#include "common/error.h"
#include "common/file_text.h"

namespace npu {
namespace {

Image sized_image(int64_t channels, int64_t height, int64_t width, const std::string& path, const Limits& limits) {
    if (height < 1 || width < 1) throw WorkloadError(fmt::format("{}: the image is empty", path));
    const int64_t elements = saturating_product({channels, height, width});
    if (elements > limits.tensor_elements)
        throw WorkloadError(fmt::format("{}: a {}x{} image {}", path, width, height, limits.hint("tensor_elements")));
    Image image{channels, height, width, std::vector<float>(size_t(elements))};
    return image;
}

// A netpbm header field: digits after whitespace and '#' comments.
int64_t pnm_field(const std::string& bytes, size_t& at, const std::string& path) {
    while (at < bytes.size() && (std::isspace(uint8_t(bytes[at])) || bytes[at] == '#'))
        if (bytes[at] == '#')
            while (at < bytes.size() && bytes[at] != '\n') ++at;
        else
            ++at;
    int64_t v = 0;
    const size_t start = at;
    while (at < bytes.size() && std::isdigit(uint8_t(bytes[at])) && at - start < 9) v = v * 10 + (bytes[at++] - '0');
    if (at == start) throw WorkloadError(fmt::format("{}: a malformed PGM/PPM header", path));
    return v;
}

Image read_pnm(const std::string& path, const Limits& limits) {
    const std::string bytes = read_file_or_throw<WorkloadError>(path);
    if (bytes.size() < 2 || bytes[0] != 'P' || (bytes[1] != '5' && bytes[1] != '6'))
        throw WorkloadError(fmt::format("{}: not a binary PGM (P5) or PPM (P6) file", path));
    size_t at = 2;
    const int64_t width = pnm_field(bytes, at, path), height = pnm_field(bytes, at, path);
    const int64_t maxval = pnm_field(bytes, at, path);
    if (maxval < 1 || maxval > 65535) throw WorkloadError(fmt::format("{}: maxval {} (1..65535)", path, maxval));
    Image image = sized_image(bytes[1] == '5' ? 1 : 3, height, width, path, limits);
    const size_t sample = maxval > 255 ? 2 : 1, data = at + 1;  // one whitespace byte ends the header
    const size_t pixels = size_t(height * width);
    if (bytes.size() < data + pixels * size_t(image.channels) * sample)
        throw WorkloadError(fmt::format("{}: {}x{} pixels need more data than the file holds", path, width, height));
    for (size_t p = 0; p < pixels; ++p)
        for (int64_t c = 0; c < image.channels; ++c) {
            const size_t k = data + (p * size_t(image.channels) + size_t(c)) * sample;
            const int v = sample == 2 ? (uint8_t(bytes[k]) << 8) | uint8_t(bytes[k + 1]) : uint8_t(bytes[k]);
            image.values[size_t(c) * pixels + p] = float(v) / float(maxval);
        }
    return image;
}

Image read_png(const std::string& path, const Limits& limits) {
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&png, path.c_str()))
        throw WorkloadError(fmt::format("{}: not a PNG file libpng reads ({})", path, png.message));
    const bool gray = (png.format & PNG_FORMAT_FLAG_COLOR) == 0;
    png.format = gray ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    Image image;
    try {
        image = sized_image(gray ? 1 : 3, png.height, png.width, path, limits);
    } catch (...) {
        png_image_free(&png);
        throw;
    }
    std::vector<uint8_t> pixels(PNG_IMAGE_SIZE(png));
    if (!png_image_finish_read(&png, nullptr, pixels.data(), 0, nullptr))
        throw WorkloadError(fmt::format("{}: a damaged PNG ({})", path, png.message));
    const size_t n = size_t(image.height * image.width);
    for (size_t p = 0; p < n; ++p)
        for (int64_t c = 0; c < image.channels; ++c)
            image.values[size_t(c) * n + p] = float(pixels[p * size_t(image.channels) + size_t(c)]) / 255.0f;
    return image;
}

// Bilinear sample of channel c at (y, x) in source pixel coordinates, edges clamped.
float bilinear(const Image& im, int64_t c, float y, float x) {
    y = std::clamp(y, 0.0f, float(im.height - 1));
    x = std::clamp(x, 0.0f, float(im.width - 1));
    const int64_t y0 = int64_t(y), x0 = int64_t(x);
    const int64_t y1 = std::min(y0 + 1, im.height - 1), x1 = std::min(x0 + 1, im.width - 1);
    const float fy = y - float(y0), fx = x - float(x0);
    auto at = [&](int64_t yy, int64_t xx) { return im.values[size_t((c * im.height + yy) * im.width + xx)]; };
    return (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
}

float per_channel(const std::vector<float>& v, int64_t c) { return v.size() == 1 ? v[0] : v[size_t(c)]; }

}  // namespace

Image read_image_file(const std::string& path, const Limits& limits) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    if (ext == ".png") return read_png(path, limits);
    if (ext == ".pgm" || ext == ".ppm" || ext == ".pnm") return read_pnm(path, limits);
    throw WorkloadError(fmt::format("{}: unknown image type '{}' (.png, .pgm, .ppm)", path, ext));
}

std::vector<float> to_network_input(const Image& image, int64_t channels, int64_t height, int64_t width,
                                    const InputNormalization& n) {
    for (const auto* list : {&n.mean, &n.std})
        if (list->size() != 1 && int64_t(list->size()) != channels)
            throw UsageError(fmt::format("--input-mean/--input-std: {} values for a {}-channel input (1 or {})",
                                         list->size(), channels, channels));
    for (float s : n.std)
        if (!(s > 0)) throw UsageError(fmt::format("--input-std: {} is not > 0", s));
    if (channels != 1 && channels != 3)
        throw WorkloadError(fmt::format("the model's input has {} channels; an image gives 1 or 3", channels));
    std::vector<float> out(size_t(channels * height * width));
    const float sy = float(image.height) / float(height), sx = float(image.width) / float(width);
    for (int64_t c = 0; c < channels; ++c)
        for (int64_t y = 0; y < height; ++y)
            for (int64_t x = 0; x < width; ++x) {
                const float py = (float(y) + 0.5f) * sy - 0.5f, px = (float(x) + 0.5f) * sx - 0.5f;
                float v;
                if (image.channels == channels)
                    v = bilinear(image, c, py, px);
                else if (channels == 3)
                    v = bilinear(image, 0, py, px);
                else
                    v = 0.299f * bilinear(image, 0, py, px) + 0.587f * bilinear(image, 1, py, px) +
                        0.114f * bilinear(image, 2, py, px);
                out[size_t((c * height + y) * width + x)] = (v - per_channel(n.mean, c)) / per_channel(n.std, c);
            }
    return out;
}

}  // namespace npu

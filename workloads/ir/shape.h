#pragma once
// Activation tensor shape, NCHW. Fully connected outputs are N x C x 1 x 1.
#include <cstdint>
#include <string>

namespace npu {

struct Shape {
    int64_t n = 1;  // batch
    int64_t c = 1;  // channels (features)
    int64_t h = 1;
    int64_t w = 1;

    int64_t elements() const { return n * c * h * w; }
    int64_t per_image() const { return c * h * w; }
    bool operator==(const Shape& o) const { return n == o.n && c == o.c && h == o.h && w == o.w; }
    bool operator!=(const Shape& o) const { return !(*this == o); }
    std::string str() const;  // "1x64x56x56"
};

}  // namespace npu

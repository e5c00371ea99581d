#pragma once
// Host vectors of floats to and from a GPU storage type (Half, Bf16: float_to_half,
// half_to_float, ...), element by element.
#include <vector>

namespace npu {

template <class T, class Encode>
std::vector<T> encoded(const std::vector<float>& values, Encode encode) {
    std::vector<T> out;
    out.reserve(values.size());
    for (float v : values) out.push_back(encode(v));
    return out;
}

template <class T, class Decode>
std::vector<float> decoded(const std::vector<T>& values, Decode decode) {
    std::vector<float> out;
    out.reserve(values.size());
    for (const T& v : values) out.push_back(decode(v));
    return out;
}

}  // namespace npu

#pragma once
// A tensor in host memory: NCHW elements stored as raw bytes in the run's precision (int8,
// binary16 or binary32).
#include <cstdint>
#include <cstring>
#include <vector>

#include "common/shape.h"
#include "kernels/numerics/element.h"
#include "kernels/numerics/precision.h"
#include "kernels/numerics/real_spans.h"

namespace npu {

struct HostTensor {
    Shape shape;
    Precision precision = Precision::Int8;
    std::vector<uint8_t> bytes;
    bool int32 = false;  // int32 elements (raw sums of an imported ConvInteger)

    static HostTensor zeros(Shape s, Precision p) {
        HostTensor t{s, p, {}};
        t.bytes.assign(size_t(s.elements()) * element_bytes(p), 0);
        return t;
    }
    static HostTensor zeros_int32(Shape s) {
        HostTensor t{s, Precision::Int8, {}, true};
        t.bytes.assign(size_t(s.elements()) * 4, 0);
        return t;
    }
    int64_t elements() const { return shape.elements(); }
    int8_t* int8() { return reinterpret_cast<int8_t*>(bytes.data()); }
    const int8_t* int8() const { return reinterpret_cast<const int8_t*>(bytes.data()); }
    // Element as a number (int8 values as they are, without scale).
    float value(int64_t i) const {
        if (int32) {
            int32_t v;
            std::memcpy(&v, bytes.data() + i * 4, 4);
            return float(v);
        }
        return precision == Precision::Int8 ? float(int8()[i]) : load_real(bytes.data(), i, precision);
    }
    // Every element as value(i) gives it, decoded in one pass.
    std::vector<float> values() const {
        std::vector<float> v(static_cast<size_t>(elements()));
        if (int32) {
            for (size_t i = 0; i < v.size(); ++i) v[i] = value(int64_t(i));
        } else if (precision == Precision::Int8) {
            for (size_t i = 0; i < v.size(); ++i) v[i] = float(int8()[i]);
        } else {
            load_reals(bytes.data(), v.size(), precision, v.data());
        }
        return v;
    }
    // Stores a real value (float precisions: rounded to the storage format).
    void set_real(int64_t i, float v) { store_real(bytes.data(), i, v, precision); }
};

}  // namespace npu

#pragma once
// The DRAM boxes the training lowerings move: a range of a flat stream, whole channels or whole
// planes of an N x C x H x W tensor.
#include <cstdint>

#include "arch/isa.h"
#include "common/shape.h"

namespace npu {

// Elements [first, first + count) of a stream of `total`.
inline isa::DramBox flat_box(uint64_t address, int64_t total, int64_t first, int64_t count, int64_t element_bytes) {
    isa::DramBox box;
    box.base = address;
    box.element_bytes = element_bytes;
    box.dims = {1, 1, 1, total};
    box.start = {0, 0, 0, first};
    box.extent = {1, 1, 1, count};
    return box;
}

// Channels [c0, c0 + k) of every image.
inline isa::DramBox channels_box(uint64_t address, const Shape& s, int64_t c0, int64_t k, int64_t element_bytes) {
    isa::DramBox box;
    box.base = address;
    box.element_bytes = element_bytes;
    box.dims = {s.n, s.c, s.h, s.w};
    box.start = {0, c0, 0, 0};
    box.extent = {s.n, k, s.h, s.w};
    return box;
}

// Planes [first, first + count) of the N x C planes.
inline isa::DramBox planes_box(uint64_t address, const Shape& s, int64_t first, int64_t count, int64_t element_bytes) {
    isa::DramBox box;
    box.base = address;
    box.element_bytes = element_bytes;
    box.dims = {1, s.n * s.c, s.h, s.w};
    box.start = {0, first, 0, 0};
    box.extent = {1, count, s.h, s.w};
    return box;
}

}  // namespace npu

// Slice and channel shuffle: the CPU reference and the GPU's index functions worked by hand, and
// the model-file errors.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "kernels/cpu/reference_ops.h"
#include "kernels/cuda/vector_ops.h"
#include "workloads/model_loader.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

// An INT8 tensor whose element i holds i.
HostTensor counting(Shape s) {
    HostTensor t = HostTensor::zeros(s, Precision::Int8);
    for (int64_t i = 0; i < t.elements(); ++i) t.int8()[i] = int8_t(i);
    return t;
}

std::vector<int> values(const HostTensor& t) {
    std::vector<int> v;
    for (int64_t i = 0; i < t.elements(); ++i) v.push_back(t.int8()[i]);
    return v;
}

}  // namespace

TEST_CASE("a channel shuffle interleaves the groups", "[unit][channel]") {
    const HostTensor six = counting({1, 6, 1, 1});
    // Groups {0 1 2} {3 4 5}: output channel j * 2 + i is input channel i * 3 + j.
    CHECK(values(channel_shuffle(six, 2)) == std::vector<int>{0, 3, 1, 4, 2, 5});
    CHECK(values(channel_shuffle(six, 3)) == std::vector<int>{0, 2, 4, 1, 3, 5});
    CHECK(values(channel_shuffle(six, 1)) == values(six));
    CHECK(values(channel_shuffle(six, 6)) == values(six));
    // Whole planes move: 2 images of 4 channels of 2 elements, 2 groups.
    CHECK(values(channel_shuffle(counting({2, 4, 1, 2}), 2)) ==
          std::vector<int>{0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15});
    // The GPU's index function gives the same sources.
    for (int64_t o = 0; o < 6; ++o) CHECK(shuffle_source(o, 6, 1, 3) == values(channel_shuffle(six, 3))[size_t(o)]);
    CHECK(shuffle_source(2, 4, 2, 2) == 4);  // channel 1 of the output is input channel 2
}

TEST_CASE("a slice keeps a range of one axis", "[unit][channel]") {
    const HostTensor t = counting({2, 3, 2, 2});  // 12 elements per image, 4 per channel
    CHECK(values(slice(t, {2, 1, 2, 2}, SliceAttrs{1, 2, 3})) == std::vector<int>{8, 9, 10, 11, 20, 21, 22, 23});
    CHECK(values(slice(t, {1, 3, 2, 2}, SliceAttrs{0, 1, 2})) ==
          std::vector<int>{12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23});
    CHECK(values(slice(t, {2, 3, 2, 1}, SliceAttrs{3, 1, 2})) ==
          std::vector<int>{1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23});
    // slice_source(o, out_length, inner, in_length, begin): channels [2, 3) of 3, planes of 4.
    CHECK(slice_source(0, 1, 4, 3, 2) == 8);
    CHECK(slice_source(5, 1, 4, 3, 2) == 21);
    // A float tensor moves its bytes as they are.
    HostTensor f = HostTensor::zeros({1, 4, 1, 1}, Precision::Fp16);
    for (int i = 0; i < 8; ++i) f.bytes[size_t(i)] = uint8_t(i + 1);
    CHECK(slice(f, {1, 2, 1, 1}, SliceAttrs{1, 1, 3}).bytes == std::vector<uint8_t>{3, 4, 5, 6});
}

TEST_CASE("slice and channel shuffle layers in model files: what they read and what they refuse", "[unit][channel]") {
    const std::string head = "name: m\ninput: {channels: 6, height: 4, width: 5}\nlayers:\n";
    const Graph g = parse_model_yaml(head +
                                         "  - {name: left, type: slice, begin: 0, end: 2}\n"
                                         "  - {name: cols, type: slice, axis: 3, begin: 1, end: 4, inputs: [input]}\n"
                                         "  - {name: mix, type: channel_shuffle, groups: 3, inputs: [input]}\n",
                                     "m.yaml");
    CHECK(g.layers[1].output == Shape{1, 2, 4, 5});
    CHECK(g.layers[2].slice.axis == 3);
    CHECK(g.layers[2].output == Shape{1, 6, 4, 3});
    CHECK(g.layers[3].shuffle_groups == 3);
    CHECK(g.layers[3].output == Shape{1, 6, 4, 5});
    CHECK_THROWS_WITH(parse_model_yaml(head + "  - {name: s, type: slice, begin: 4, end: 7}\n", "bad.yaml"),
                      Contains("bad.yaml:4") && Contains("layer 's'") &&
                          Contains("slice [4, 7) of axis 1 must lie in [0, 6] and be non-empty"));
    CHECK_THROWS_WITH(parse_model_yaml(head + "  - {name: s, type: slice, begin: 2, end: 2}\n", "bad.yaml"),
                      Contains("slice [2, 2) of axis 1"));
    CHECK_THROWS_WITH(parse_model_yaml(head + "  - {name: s, type: slice, axis: 4, begin: 0, end: 1}\n", "bad.yaml"),
                      Contains("slice axis must be 0..3"));
    CHECK_THROWS_WITH(parse_model_yaml(head + "  - {name: s, type: slice, begin: 0}\n", "bad.yaml"),
                      Contains("layers[0].end: missing required key"));
    CHECK_THROWS_WITH(parse_model_yaml(head + "  - {name: x, type: channel_shuffle, groups: 4}\n", "bad.yaml"),
                      Contains("layer 'x'") && Contains("channel shuffle: 4 groups must divide the 6 channels"));
    CHECK_THROWS_WITH(parse_model_yaml(head + "  - {name: x, type: channel_shuffle, groups: 0}\n", "bad.yaml"),
                      Contains("channel shuffle: 0 groups must divide"));
}

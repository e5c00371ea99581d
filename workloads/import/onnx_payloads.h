#pragma once
// Large tensor payloads held back from protobuf parsing. An ONNX file is mostly its weights
// (VGG-16: 528 MB of raw_data); parsing it whole copies every byte into the ModelProto before
// anything looks at it. This walks the protobuf wire format (developers.google.com/protocol-
// buffers/docs/encoding: varint tags, field number << 3 | wire type) of ModelProto.graph (7) ->
// GraphProto.initializer (5) -> TensorProto.raw_data (9), and writes the model without the
// raw_data fields of at least `min_bytes`; those stay where they are, in the caller's bytes (a
// memory-mapped file), until a converter asks for a tensor's values. Timing-only runs never do.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npu {

struct HeldBackModel {
    std::string stripped;                    // the ModelProto without the held-back payloads
    std::vector<std::string_view> payloads;  // per initializer, in graph order: its raw_data, or empty
};

// nullopt when `bytes` are not well-formed protobuf along that path (truncated, bad lengths).
std::optional<HeldBackModel> hold_back_payloads(std::string_view bytes, size_t min_bytes);

}  // namespace npu

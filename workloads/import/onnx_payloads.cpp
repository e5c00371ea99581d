#include "workloads/import/onnx_payloads.h"

#include <cstdint>

namespace npu {
namespace {

constexpr uint32_t kModelGraph = 7, kGraphInitializer = 5, kTensorRawData = 9;
constexpr uint32_t kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5;

bool read_varint(std::string_view s, size_t& at, uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64 && at < s.size(); shift += 7) {
        const uint8_t byte = uint8_t(s[at++]);
        value |= uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return true;
    }
    return false;
}

void write_varint(std::string& out, uint64_t value) {
    while (value >= 0x80) {
        out += char(uint8_t(value) | 0x80);
        value >>= 7;
    }
    out += char(value);
}

// One field of a message: its number and wire type, where it starts (the tag) and ends, and for
// a length-delimited field its payload.
struct Field {
    uint32_t number = 0, wire_type = 0;
    size_t start = 0, end = 0;
    std::string_view payload;
};

// The next field at `at`, or false when the bytes are malformed (groups are not used by ONNX).
bool next_field(std::string_view s, size_t& at, Field& f) {
    f.start = at;
    uint64_t tag = 0;
    if (!read_varint(s, at, tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff) return false;
    f.number = uint32_t(tag >> 3);
    f.wire_type = uint32_t(tag & 7);
    uint64_t length = 0;
    switch (f.wire_type) {
        case kVarint:
            if (!read_varint(s, at, length)) return false;
            break;
        case kFixed64:
        case kFixed32:
            length = f.wire_type == kFixed64 ? 8 : 4;
            if (s.size() - at < length) return false;
            at += length;
            break;
        case kLengthDelimited:
            if (!read_varint(s, at, length) || length > s.size() - at) return false;
            f.payload = s.substr(at, length);
            at += length;
            break;
        default: return false;
    }
    f.end = at;
    return true;
}

// Writes `message` without the fields `keep` rejects, each sub-message `rewrite` handles rewritten.
template <class Rewrite>
bool rewrite_message(std::string_view message, std::string& out, Rewrite rewrite) {
    size_t at = 0;
    Field f;
    while (at < message.size()) {
        if (!next_field(message, at, f)) return false;
        std::string inner;
        const int action = f.wire_type == kLengthDelimited ? rewrite(f, inner) : 0;
        if (action < 0) return false;
        if (action == 0) out.append(message.substr(f.start, f.end - f.start));  // as it was
        if (action == 1) {                                                      // rewritten
            write_varint(out, uint64_t(f.number) << 3 | kLengthDelimited);
            write_varint(out, inner.size());
            out += inner;
        }
        // action 2: dropped
    }
    return true;
}

}  // namespace

std::optional<HeldBackModel> hold_back_payloads(std::string_view bytes, size_t min_bytes) {
    HeldBackModel held;
    auto tensor = [&](const Field& f, std::string&) {
        return f.number == kTensorRawData && f.payload.size() >= min_bytes ? 2 : 0;
    };
    auto graph = [&](const Field& f, std::string& inner) {
        if (f.number != kGraphInitializer) return 0;
        std::string_view payload;
        const bool ok = rewrite_message(f.payload, inner, [&](const Field& t, std::string& unused) {
            const int action = tensor(t, unused);
            if (action == 2) payload = t.payload;
            return action;
        });
        held.payloads.push_back(payload);
        return ok ? 1 : -1;
    };
    auto model = [&](const Field& f, std::string& inner) {
        if (f.number != kModelGraph) return 0;
        return rewrite_message(f.payload, inner, graph) ? 1 : -1;
    };
    if (!rewrite_message(bytes, held.stripped, model)) return std::nullopt;
    return held;
}

}  // namespace npu

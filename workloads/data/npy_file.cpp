#include "workloads/data/npy_file.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <regex>
#include <set>

#include "common/error.h"
#include "common/file_text.h"

namespace npu {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicBytes = 6;
constexpr size_t kMaxHeaderBytes = 1 << 16;

struct Header {
    char kind = 'f';  // f float, i signed, u unsigned, b bool
    size_t bytes = 4;
    std::vector<int64_t> shape;
    size_t data_offset = 0;
};

[[noreturn]] void fail(const std::string& source, const std::string& what) {
    throw WorkloadError(fmt::format("{}: not a .npy file npusim reads: {}", source, what));
}

// The value of one key of the header's dict literal, as text ("'<f4'", "False", "(1, 3, )").
std::string dict_value(const std::string& dict, const std::string& key, const std::string& source) {
    const std::regex pattern("['\"]" + key + "['\"]\\s*:\\s*('[^']*'|\"[^\"]*\"|\\([^)]*\\)|True|False)");
    std::smatch m;
    if (!std::regex_search(dict, m, pattern)) fail(source, fmt::format("the header has no '{}'", key));
    return m[1].str();
}

Header parse_header(const std::string& bytes, const std::string& source, const Limits& limits) {
    if (bytes.size() < kMagicBytes + 4 || bytes.compare(0, kMagicBytes, kMagic, kMagicBytes) != 0)
        fail(source, "no \\x93NUMPY magic");
    const int major = uint8_t(bytes[6]);
    if (major < 1 || major > 3) fail(source, fmt::format("format version {} (1, 2 or 3 expected)", major));
    const size_t length_bytes = major == 1 ? 2 : 4;
    size_t length = 0;
    for (size_t k = 0; k < length_bytes && 8 + k < bytes.size(); ++k)
        length |= size_t(uint8_t(bytes[8 + k])) << (8 * k);
    Header h;
    h.data_offset = 8 + length_bytes + length;
    if (length > kMaxHeaderBytes || h.data_offset > bytes.size()) fail(source, "the header runs past the file");
    const std::string dict = bytes.substr(8 + length_bytes, length);
    const std::string descr = dict_value(dict, "descr", source);
    const std::regex type("['\"]([<|=])([fiub])([0-9]+)['\"]");
    std::smatch m;
    if (!std::regex_match(descr, m, type) ||
        !std::set<std::string>{"f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"}.count(m[2].str() +
                                                                                                       m[3].str()))
        fail(source, fmt::format("element type {} (little-endian float32/64, int, uint or bool expected)", descr));
    h.kind = m[2].str()[0];
    h.bytes = size_t(std::stoi(m[3].str()));
    if (dict_value(dict, "fortran_order", source) != "False") fail(source, "fortran_order is True (C order expected)");
    const std::string shape = dict_value(dict, "shape", source);
    int64_t elements = 1;
    const std::regex number("[0-9]+");
    for (std::sregex_iterator it(shape.begin(), shape.end(), number), end; it != end; ++it) {
        if (it->str().size() > 10) fail(source, fmt::format("dimension {} is too large", it->str()));
        h.shape.push_back(std::stoll(it->str()));
        elements = saturating_mul(elements, h.shape.back());
    }
    if (shape.find('-') != std::string::npos) fail(source, "a negative dimension");
    if (elements > limits.tensor_elements)
        throw WorkloadError(
            fmt::format("{}: {} elements {}", source, count_text(elements), limits.hint("tensor_elements")));
    if (bytes.size() - h.data_offset != size_t(elements) * h.bytes)
        fail(source, fmt::format("shape {} needs {} bytes of data, the file has {}", shape, size_t(elements) * h.bytes,
                                 bytes.size() - h.data_offset));
    return h;
}

template <class T>
float element(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return float(v);
}

float decode(const Header& h, const char* p) {
    switch (h.kind) {
        case 'f': return h.bytes == 4 ? element<float>(p) : element<double>(p);
        case 'i':
            return h.bytes == 1   ? element<int8_t>(p)
                   : h.bytes == 2 ? element<int16_t>(p)
                   : h.bytes == 4 ? element<int32_t>(p)
                                  : element<int64_t>(p);
        case 'u':
            return h.bytes == 1   ? element<uint8_t>(p)
                   : h.bytes == 2 ? element<uint16_t>(p)
                   : h.bytes == 4 ? element<uint32_t>(p)
                                  : element<uint64_t>(p);
        default: return p[0] != 0 ? 1.0f : 0.0f;
    }
}

}  // namespace

NpyArray parse_npy(const std::string& bytes, const std::string& source, const Limits& limits) {
    const Header h = parse_header(bytes, source, limits);
    NpyArray a;
    a.shape = h.shape;
    const size_t n = (bytes.size() - h.data_offset) / h.bytes;
    a.values.resize(n);
    for (size_t i = 0; i < n; ++i) {
        a.values[i] = decode(h, bytes.data() + h.data_offset + i * h.bytes);
        if (!std::isfinite(a.values[i]))
            throw WorkloadError(fmt::format("{}: element {} is not a finite number", source, i));
    }
    return a;
}

NpyArray read_npy_file(const std::string& path, const Limits& limits) {
    return parse_npy(read_file_or_throw<WorkloadError>(path), path, limits);
}

std::string npy_bytes(const std::vector<int64_t>& shape, const std::vector<float>& values) {
    std::string dims;
    for (int64_t d : shape) dims += std::to_string(d) + ", ";
    std::string dict = fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}), }}", dims);
    // Magic, version 1.0, 2 length bytes, the dict padded with spaces and a newline to 64 bytes.
    const size_t unpadded = kMagicBytes + 4 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    std::string out(kMagic, kMagicBytes);
    out += '\x01';
    out += '\x00';
    out += char(dict.size() & 0xff);
    out += char(dict.size() >> 8);
    out += dict;
    const size_t start = out.size();
    out.resize(start + values.size() * 4);
    std::memcpy(out.data() + start, values.data(), values.size() * 4);
    return out;
}

}  // namespace npu

#include "workloads/import/onnx_tensor.h"

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <cstring>
#include <fstream>
#include <numeric>

#include "common/error.h"
#include "common/limits.h"

namespace npu {

int64_t OnnxTensor::elements() const {
    int64_t n = 1;
    for (int64_t d : dims) n = saturating_mul(n, d);  // negative dims saturate too: never a match
    return n;
}

const char* onnx_type_name(OnnxType t) {
    switch (t) {
        case OnnxType::Float: return "float32";
        case OnnxType::Uint8: return "uint8";
        case OnnxType::Int8: return "int8";
        case OnnxType::Int32: return "int32";
        case OnnxType::Int64: return "int64";
        case OnnxType::Double: return "float64";
        case OnnxType::Other: return "other";
    }
    return "?";
}

namespace {

OnnxType type_of(int32_t data_type) {
    switch (data_type) {
        case onnx::TensorProto::FLOAT: return OnnxType::Float;
        case onnx::TensorProto::UINT8: return OnnxType::Uint8;
        case onnx::TensorProto::INT8: return OnnxType::Int8;
        case onnx::TensorProto::INT32: return OnnxType::Int32;
        case onnx::TensorProto::INT64: return OnnxType::Int64;
        case onnx::TensorProto::DOUBLE: return OnnxType::Double;
        default: return OnnxType::Other;
    }
}

template <class T>
void read_raw(std::string_view raw, std::vector<double>& out) {
    const size_t n = raw.size() / sizeof(T);
    out.resize(n);
    for (size_t i = 0; i < n; ++i) {
        T v;
        std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
        out[i] = double(v);
    }
}

// A float tensor whose values are not read: only their count is checked against the dims.
OnnxTensor elided(const onnx::TensorProto& p, OnnxTensor t, std::string_view raw, const std::string& where) {
    const size_t bytes = t.type == OnnxType::Float ? 4 : 8;
    const size_t count = !raw.empty()                ? raw.size() / bytes
                         : t.type == OnnxType::Float ? size_t(p.float_data_size())
                                                     : size_t(p.double_data_size());
    if (int64_t(count) != t.elements())
        throw WorkloadError(fmt::format("{}: tensor '{}' holds {} values for dims of {} elements", where, p.name(),
                                        count, t.elements()));
    t.elided = true;
    return t;
}

}  // namespace

OnnxTensor decode_tensor(const onnx::TensorProto& p, const std::string& where, bool elide, std::string_view held_back) {
    OnnxTensor t;
    t.name = p.name();
    t.type = type_of(p.data_type());
    t.dims.assign(p.dims().begin(), p.dims().end());
    for (int64_t d : t.dims)
        if (d < 0 || d > kMaxFileInteger)
            throw WorkloadError(fmt::format("{}: tensor '{}' has dimension {} (0 to 2^31 - 1)", where, p.name(), d));
    if (p.data_location() == onnx::TensorProto::EXTERNAL)
        throw UnsupportedError(fmt::format("{}: tensor '{}' keeps its data in an external file", where, p.name()));
    const std::string_view raw = p.raw_data().empty() ? held_back : std::string_view(p.raw_data());
    if (elide && (t.type == OnnxType::Float || t.type == OnnxType::Double)) return elided(p, std::move(t), raw, where);
    switch (t.type) {
        case OnnxType::Float:
            if (!raw.empty())
                read_raw<float>(raw, t.values);
            else
                t.values.assign(p.float_data().begin(), p.float_data().end());
            break;
        case OnnxType::Double:
            if (!raw.empty())
                read_raw<double>(raw, t.values);
            else
                t.values.assign(p.double_data().begin(), p.double_data().end());
            break;
        case OnnxType::Uint8:
            if (!raw.empty())
                read_raw<uint8_t>(raw, t.values);
            else
                t.values.assign(p.int32_data().begin(), p.int32_data().end());
            break;
        case OnnxType::Int8:
            if (!raw.empty())
                read_raw<int8_t>(raw, t.values);
            else
                t.values.assign(p.int32_data().begin(), p.int32_data().end());
            break;
        case OnnxType::Int32:
            if (!raw.empty())
                read_raw<int32_t>(raw, t.values);
            else
                t.values.assign(p.int32_data().begin(), p.int32_data().end());
            break;
        case OnnxType::Int64:
            if (!raw.empty())
                read_raw<int64_t>(raw, t.values);
            else
                t.values.assign(p.int64_data().begin(), p.int64_data().end());
            break;
        case OnnxType::Other:
            throw UnsupportedError(
                fmt::format("{}: tensor '{}' has element type {}, npusim reads float32, float64, "
                            "int8, uint8, int32 and int64",
                            where, p.name(), p.data_type()));
    }
    if (int64_t(t.values.size()) != t.elements())
        throw WorkloadError(fmt::format("{}: tensor '{}' holds {} values for dims of {} elements", where, p.name(),
                                        t.values.size(), t.elements()));
    return t;
}

OnnxTensor load_tensor_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw WorkloadError(fmt::format("{}: cannot open file", path));
    onnx::TensorProto proto;
    if (!proto.ParseFromIstream(&in)) throw WorkloadError(fmt::format("{}: not a serialized ONNX TensorProto", path));
    return decode_tensor(proto, path);
}

}  // namespace npu

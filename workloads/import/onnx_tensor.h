#pragma once
// ONNX TensorProto values as npusim uses them: dimensions and the numbers as doubles (exact for
// every float32, int8/uint8/int32 and the int64 sizes ONNX models hold).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace onnx {
class TensorProto;
}

namespace npu {

enum class OnnxType { Float, Uint8, Int8, Int32, Int64, Double, Other };

struct OnnxTensor {
    std::string name;
    OnnxType type = OnnxType::Float;
    std::vector<int64_t> dims;
    std::vector<double> values;
    // A structure-only import left the values unread (their count was checked): a conv's or
    // matrix product's weights in a timing-only run.
    bool elided = false;

    int64_t elements() const;
    bool integral() const {
        return type == OnnxType::Uint8 || type == OnnxType::Int8 || type == OnnxType::Int32 || type == OnnxType::Int64;
    }
};

// Throws UnsupportedError for element types or storage npusim does not read (external data).
// `elide`: a float tensor's values are checked for their count and left unread. `held_back`: the
// raw_data the import kept out of the proto (onnx_payloads.h), read in its place.
OnnxTensor decode_tensor(const onnx::TensorProto& proto, const std::string& where, bool elide = false,
                         std::string_view held_back = {});
// A serialized TensorProto file (the conformance test data: input_0.pb, output_0.pb, ...).
OnnxTensor load_tensor_file(const std::string& path);
const char* onnx_type_name(OnnxType t);

}  // namespace npu

// Fuzz target: the ONNX importer (protobuf parsing, operator conversion, shape inference).
#include "fuzz_common.h"
#include "workloads/import/onnx_import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return npu::fuzz::run_guarded([&] {
        npu::OnnxImportOptions options;
        options.limits = npu::fuzz::small_limits();
        const npu::OnnxImport m =
            npu::import_onnx_bytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx", options);
        volatile int64_t sink = npu::total_macs(m.graph);
        (void)sink;
    });
}

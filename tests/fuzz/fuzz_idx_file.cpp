// Fuzz target: the IDX (MNIST format) reader, plain and gzip-compressed.
#include "fuzz_common.h"
#include "workloads/data/idx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return npu::fuzz::run_guarded([&] {
        const npu::IdxArray a = npu::parse_idx(std::string(reinterpret_cast<const char*>(data), size), "fuzz.idx",
                                               npu::fuzz::small_limits());
        double sum = 0;
        for (size_t i = 0; i < size_t(a.elements()); ++i) sum += a.value(i);
        volatile double sink = sum;
        (void)sink;
    });
}

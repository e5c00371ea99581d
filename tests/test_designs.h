#pragma once
// A small valid design as YAML text, for tests that edit one key and check what the loader says.
#include <catch2/catch.hpp>

#include <string>

namespace npu::test {

inline const char* kDesignYaml = R"(name: test
array: {rows: 8, cols: 8, dataflow: ws}
precisions: [int8]
clock_mhz: 500
buffers:
  unified: {size_kib: 64, banks: 4, bytes_per_cycle: 32}
accumulator: {size_kib: 16, banks: 2, bytes_per_cycle: 32}
dram: {type: lpddr4, bandwidth_gbps: 8, channels: 2}
vector: {lanes: 8}
technology: {node_nm: 16, energy_table: horowitz_45nm}
)";

// `text` with the first occurrence of `from` replaced by `to` (which must be there).
inline std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace npu::test

#pragma once
// npusim run --arch a --arch b ...: the same workload and options on several designs, each in its
// own process (SystemC elaborates one NPU per process), then one summary side by side.
#include <string>
#include <vector>

namespace npu::cli {

struct SideBySide {
    std::vector<std::string> designs;      // --arch values, in order
    std::vector<std::string> run_options;  // every other option of the run, as words
    std::string json, csv;                 // one report holding every design's; one row per design
    bool quiet = false;
};

// Prints the table; status 0, 1 when a design failed (its error in the table), 4 when a
// functional check failed.
int run_side_by_side(const SideBySide& s);

}  // namespace npu::cli

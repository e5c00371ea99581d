#pragma once
// A user's own data through a network (npusim run): --input (a .npy of the input's shape, a
// PNG/PGM/PPM image resized and normalized, or one image of an IDX file), and what came out:
// --output (the final tensor as .npy), --dump-layers (every layer's), --top-k with --labels.
#include <CLI/CLI.hpp>

#include <ostream>
#include <string>

#include "common/limits.h"
#include "sim/runtime/simulation.h"
#include "workloads/ir/graph.h"

namespace npu::cli {

struct TensorIoArgs {
    std::string input;
    int64_t input_index = 0;            // IDX files: which image
    std::string input_mean, input_std;  // "0.485,0.456,0.406"; images and IDX files
    std::string output, dump_layers;    // a .npy file; a folder
    int64_t top_k = 0;
    std::string labels;  // one class name per line

    bool any() const { return !input.empty() || !output.empty() || !dump_layers.empty() || top_k != 0; }
};

void add_tensor_io_options(CLI::App& app, TensorIoArgs& args);

// Before any file is read: values that cannot apply (a negative --top-k, --labels without it,
// --input-index without --input, any of them in a run without values) are UsageErrors.
void check_tensor_io_args(const TensorIoArgs& args, bool functional);

// --input: the model's first input gets these values (INT8 scales are then calibrated on them);
// its shape is checked against the input's, after --batch and --input-size.
void apply_input(const TensorIoArgs& args, Graph& graph, const Limits& limits);

// After a functional run: writes --output and --dump-layers, prints --top-k to `text`; returns
// the first write's error ("" when all arrived; see try_write_file for why not an exception).
std::string report_tensor_outputs(const TensorIoArgs& args, const Simulation& sim, const PreparedWorkload& workload,
                                  std::ostream& text);

}  // namespace npu::cli

#include <fmt/format.h>

#include "sim/cli/commands.h"
#include "workloads/io/error.h"

namespace npu::cli {

Dataflow parse_dataflow_option(const std::string& text) {
    if (text == "ws") return Dataflow::WeightStationary;
    if (text == "os") return Dataflow::OutputStationary;
    if (text == "is") return Dataflow::InputStationary;
    throw UsageError(fmt::format("--dataflow: unknown '{}' (ws, os, is)", text));
}

}  // namespace npu::cli

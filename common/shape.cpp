#include "common/shape.h"

#include <fmt/format.h>

namespace npu {

std::string Shape::str() const { return fmt::format("{}x{}x{}x{}", n, c, h, w); }

}  // namespace npu

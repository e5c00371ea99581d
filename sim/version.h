#pragma once
// The npusim version reports carry: git describe of the build (cmake/version.cmake).
#include <string>

namespace npu {

std::string npusim_version();

}  // namespace npu

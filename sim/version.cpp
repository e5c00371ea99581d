#include "sim/version.h"

#include "npusim_version_text.h"

namespace npu {

std::string npusim_version() { return NPUSIM_VERSION_TEXT; }

}  // namespace npu

#pragma once
// Small text helpers for the line-based importers (SCALE-Sim CSV and INI).
#include <string>

namespace npu {

inline std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

}  // namespace npu

#pragma once
// One CSV field as RFC 4180 writes it: as is, or in double quotes (with inner quotes doubled)
// when it holds a comma, a quote or a line break. Every CSV npusim writes goes through this, so
// an error message or a layer name reaches a spreadsheet whole, not rewritten.
#include <string>

namespace npu {

inline std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

}  // namespace npu

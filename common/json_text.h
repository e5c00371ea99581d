#pragma once
// JSON as text. Names in reports come from user files and may hold invalid UTF-8: replace such
// bytes (U+FFFD) instead of letting the writer throw after a whole simulation.
#include <nlohmann/json.hpp>
#include <string>

namespace npu {

template <class Json>
std::string json_text(const Json& j, int indent = -1) {
    return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace npu

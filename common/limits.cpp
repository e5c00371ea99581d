#include "common/limits.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <limits>

#include "common/error.h"

namespace npu {

namespace {

struct Entry {
    const char* name;
    int64_t Limits::*field;
    const char* meaning;
};

const Entry kEntries[] = {
    {"tensor_elements", &Limits::tensor_elements, "elements of one tensor (activation, weights, data set)"},
    {"model_elements", &Limits::model_elements, "elements of all of a model's activations and weights"},
    {"array_pes", &Limits::array_pes, "processing elements of a design's array (rows x cols)"},
    {"sram_mib", &Limits::sram_mib, "MiB of on-chip SRAM of a design, all buffers together"},
    {"instructions", &Limits::instructions, "instructions of one compiled NPU program"},
};

const Entry* find(const std::string& name) {
    for (const Entry& e : kEntries)
        if (name == e.name) return &e;
    return nullptr;
}

std::string names() {
    std::string s;
    for (const Entry& e : kEntries) s += std::string(s.empty() ? "" : ", ") + e.name;
    return s;
}

}  // namespace

void Limits::set(const std::string& assignment) {
    const size_t eq = assignment.find('=');
    const std::string name = assignment.substr(0, eq);
    const Entry* e = find(name);
    if (eq == std::string::npos || !e)
        throw UsageError(
            fmt::format("--limit: expected NAME=VALUE with NAME one of {}, got '{}'", names(), assignment));
    const std::string text = assignment.substr(eq + 1);
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE || value < 1)
        throw UsageError(fmt::format("--limit {}: expected a positive integer, got '{}'", name, text));
    this->*(e->field) = value;
}

std::vector<std::string> Limits::describe() {
    const Limits defaults;
    std::vector<std::string> lines;
    for (const Entry& e : kEntries) lines.push_back(fmt::format("{}={} ({})", e.name, defaults.*(e.field), e.meaning));
    return lines;
}

std::string Limits::hint(const std::string& name) const {
    const Entry* e = find(name);
    return fmt::format("(limit {} = {}; raise with --limit {}=N)", name, e ? this->*(e->field) : 0, name);
}

Limits Limits::none() {
    Limits l;
    // 2^62, not INT64_MAX: sums of checked sizes stay representable, and a saturated product
    // (an overflow) is still refused.
    for (const Entry& e : kEntries) l.*(e.field) = int64_t(1) << 62;
    return l;
}

int64_t saturating_mul(int64_t a, int64_t b) {
    int64_t r = 0;
    if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &r)) return std::numeric_limits<int64_t>::max();
    return r;
}

int64_t saturating_product(std::initializer_list<int64_t> factors) {
    int64_t r = 1;
    for (int64_t f : factors) r = saturating_mul(r, f);
    return r;
}

std::string count_text(int64_t count) {
    return count == std::numeric_limits<int64_t>::max() ? "over 2^63" : std::to_string(count);
}

}  // namespace npu

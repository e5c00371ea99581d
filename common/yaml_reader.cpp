#include "common/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "common/error.h"
#include "common/file_text.h"
#include "common/limits.h"
#include "common/spelling.h"

namespace npu {
namespace {

[[noreturn]] void throw_kind(YamlErrorKind kind, const std::string& message) {
    if (kind == YamlErrorKind::Config) throw ConfigError(message);
    throw WorkloadError(message);
}

// yaml-cpp keeps both entries of a key given twice and looks up the first: the second would be
// ignored in silence, so it is an error, at any depth.
// (yaml-cpp refuses nesting deeper than 2000 while parsing, which bounds this recursion.)
void refuse_duplicate_keys(const YAML::Node& node, const std::string& name, YamlErrorKind kind) {
    if (node.IsSequence())
        for (const YAML::Node& item : node) refuse_duplicate_keys(item, name, kind);
    if (!node.IsMap()) return;
    std::map<std::string, int> first_line;
    for (const auto& entry : node) {
        if (entry.first.IsScalar()) {
            const auto [it, fresh] = first_line.emplace(entry.first.Scalar(), entry.first.Mark().line + 1);
            if (!fresh)
                throw_kind(kind, fmt::format("{}:{}: key '{}' given twice (first on line {})", name,
                                             entry.first.Mark().line + 1, entry.first.Scalar(), it->second));
        }
        refuse_duplicate_keys(entry.second, name, kind);
    }
}

YAML::Node parse(const std::string& text, const std::string& name, YamlErrorKind kind) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw_kind(kind, fmt::format("{}:{}: invalid YAML: {}", name, e.mark.line + 1, e.msg));
    }
    refuse_duplicate_keys(root, name, kind);
    return root;
}

}  // namespace

YamlMap YamlMap::load_file(const std::string& path, YamlErrorKind kind) {
    const std::optional<std::string> text = try_read_file(path);
    if (!text) throw_kind(kind, fmt::format("{}: cannot open file", path));
    return load_string(*text, path, kind);
}

YamlMap YamlMap::load_string(const std::string& text, const std::string& name, YamlErrorKind kind) {
    YAML::Node root = parse(text, name, kind);
    if (!root.IsMap()) throw_kind(kind, fmt::format("{}:1: the top level must be a mapping", name));
    return YamlMap(root, name, "", kind);
}

YamlMap::YamlMap(YAML::Node node, std::string file, std::string path, YamlErrorKind kind)
    : m_node(std::move(node)),
      m_file(std::move(file)),
      m_path(std::move(path)),
      m_kind(kind),
      m_consumed(std::make_shared<std::set<std::string>>()) {
    // Keys must be plain scalars (YAML also allows lists and mappings as keys: `? [a]: b`), so
    // every later lookup can read them as strings.
    for (auto it = m_node.begin(); it != m_node.end(); ++it)
        if (!it->first.IsScalar())
            throw_kind(m_kind, fmt::format("{}:{}: {}keys must be plain words", m_file, it->first.Mark().line + 1,
                                           m_path.empty() ? "" : m_path + ": "));
}

std::string YamlMap::key_path(const std::string& key) const { return m_path.empty() ? key : m_path + "." + key; }

int YamlMap::line() const { return m_node.Mark().line + 1; }

int YamlMap::line_of(const std::string& key) const {
    for (auto it = m_node.begin(); it != m_node.end(); ++it)
        if (it->first.Scalar() == key) return it->first.Mark().line + 1;
    return line();
}

void YamlMap::fail(const std::string& key, const std::string& message) const {
    throw_kind(m_kind, fmt::format("{}:{}: {}: {}", m_file, line_of(key), key_path(key), message));
}

void YamlMap::fail_here(const std::string& message) const {
    throw_kind(m_kind, fmt::format("{}:{}: {}{}", m_file, line(), m_path.empty() ? "" : m_path + ": ", message));
}

bool YamlMap::has(const std::string& key) const {
    m_consumed->insert(key);
    const YAML::Node v = m_node[key];
    return v.IsDefined() && !v.IsNull();
}

YAML::Node YamlMap::value(const std::string& key) const {
    m_consumed->insert(key);
    const YAML::Node v = m_node[key];
    if (!v.IsDefined() || v.IsNull()) {
        std::string hint;
        for (const std::string& present : keys())
            if (!m_consumed->count(present) && edit_distance(present, key) <= 2)
                hint = fmt::format(" (is '{}' a typo?)", present);
        throw_kind(m_kind, fmt::format("{}:{}: {}: missing required key{}", m_file, line(), key_path(key), hint));
    }
    return v;
}

template <class T>
T YamlMap::convert(const std::string& key, const YAML::Node& node, const char* type_name) const {
    if (!node.IsScalar()) fail(key, fmt::format("expected {}", type_name));
    try {
        return node.as<T>();
    } catch (const YAML::Exception&) {
        fail(key, fmt::format("expected {}, got '{}'", type_name, node.Scalar()));
    }
}

int64_t YamlMap::to_int(const std::string& key, const YAML::Node& node) const {
    const int64_t v = convert<int64_t>(key, node, "an integer");
    if (v > kMaxFileInteger || v < -kMaxFileInteger)
        fail(key, fmt::format("{} is out of range (integers in npusim files stay below 2^31)", v));
    return v;
}

int64_t YamlMap::get_int(const std::string& key) const { return to_int(key, value(key)); }

double YamlMap::get_double(const std::string& key) const {
    const double v = convert<double>(key, value(key), "a number");
    if (!std::isfinite(v)) fail(key, fmt::format("expected a finite number, got '{}'", m_node[key].Scalar()));
    return v;
}

bool YamlMap::get_bool(const std::string& key) const { return convert<bool>(key, value(key), "true or false"); }

std::string YamlMap::get_string(const std::string& key) const {
    return convert<std::string>(key, value(key), "a string");
}

std::vector<int64_t> YamlMap::get_int_list(const std::string& key) const {
    const YAML::Node v = value(key);
    if (!v.IsSequence()) fail(key, "expected a list of integers");
    std::vector<int64_t> out;
    for (const YAML::Node& item : v) out.push_back(to_int(key, item));
    return out;
}

std::vector<std::string> YamlMap::get_string_list(const std::string& key) const {
    const YAML::Node v = value(key);
    if (v.IsScalar()) return {convert<std::string>(key, v, "a string")};
    if (!v.IsSequence()) fail(key, "expected a list of strings");
    std::vector<std::string> out;
    for (const YAML::Node& item : v) out.push_back(convert<std::string>(key, item, "a string"));
    return out;
}

std::vector<int64_t> YamlMap::get_int_or_list(const std::string& key) const {
    const YAML::Node v = value(key);
    if (v.IsScalar()) return {to_int(key, v)};
    return get_int_list(key);
}

int64_t YamlMap::get_int_or(const std::string& key, int64_t fallback) const {
    return has(key) ? get_int(key) : fallback;
}

double YamlMap::get_double_or(const std::string& key, double fallback) const {
    return has(key) ? get_double(key) : fallback;
}

bool YamlMap::get_bool_or(const std::string& key, bool fallback) const { return has(key) ? get_bool(key) : fallback; }

std::string YamlMap::get_string_or(const std::string& key, const std::string& fallback) const {
    return has(key) ? get_string(key) : fallback;
}

YamlMap YamlMap::child(const std::string& key) const {
    const YAML::Node v = value(key);
    if (!v.IsMap()) fail(key, "expected a mapping");
    return YamlMap(v, m_file, key_path(key), m_kind);
}

std::optional<YamlMap> YamlMap::child_opt(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    return child(key);
}

std::vector<YamlMap> YamlMap::map_list(const std::string& key) const {
    const YAML::Node v = value(key);
    if (!v.IsSequence()) fail(key, "expected a list");
    std::vector<YamlMap> out;
    size_t index = 0;
    for (const YAML::Node& item : v) {
        const std::string path = fmt::format("{}[{}]", key_path(key), index++);
        if (!item.IsMap())
            throw_kind(m_kind, fmt::format("{}:{}: {}: expected a mapping", m_file, item.Mark().line + 1, path));
        out.emplace_back(item, m_file, path, m_kind);
    }
    return out;
}

std::vector<std::string> YamlMap::keys() const {
    std::vector<std::string> out;
    for (auto it = m_node.begin(); it != m_node.end(); ++it) out.push_back(it->first.Scalar());
    return out;
}

void YamlMap::finish() const {
    for (auto it = m_node.begin(); it != m_node.end(); ++it) {
        const std::string key = it->first.Scalar();
        if (!m_consumed->count(key)) {
            const std::string message =
                fmt::format("{}:{}: {}: unknown key", m_file, it->first.Mark().line + 1, key_path(key));
            if (m_kind == YamlErrorKind::Config) throw UnknownKeyError(message);
            throw_kind(m_kind, message);
        }
    }
}

}  // namespace npu

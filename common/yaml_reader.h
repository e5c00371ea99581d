#pragma once
// Strict reading of YAML mappings: every error names the file, the line and the key path, and
// keys nobody asked for are errors (a typo must never fall back to a default silently).
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace npu {

// Which exception a reader throws: configs (designs, energy, sweeps) or workloads (models).
enum class YamlErrorKind { Config, Workload };

class YamlMap {
public:
    // Parses a file whose top level must be a mapping.
    static YamlMap load_file(const std::string& path, YamlErrorKind kind);
    static YamlMap load_string(const std::string& text, const std::string& name, YamlErrorKind kind);

    YamlMap(YAML::Node node, std::string file, std::string path, YamlErrorKind kind);

    bool has(const std::string& key) const;
    int64_t get_int(const std::string& key) const;
    double get_double(const std::string& key) const;
    bool get_bool(const std::string& key) const;
    std::string get_string(const std::string& key) const;
    std::vector<int64_t> get_int_list(const std::string& key) const;
    std::vector<std::string> get_string_list(const std::string& key) const;

    int64_t get_int_or(const std::string& key, int64_t fallback) const;
    double get_double_or(const std::string& key, double fallback) const;
    bool get_bool_or(const std::string& key, bool fallback) const;
    std::string get_string_or(const std::string& key, const std::string& fallback) const;

    // An int that may also be written as a list of two ([h, w]) or four (pads) values.
    std::vector<int64_t> get_int_or_list(const std::string& key) const;

    YamlMap child(const std::string& key) const;
    std::optional<YamlMap> child_opt(const std::string& key) const;
    std::vector<YamlMap> map_list(const std::string& key) const;
    std::vector<std::string> keys() const;

    // Throws if the mapping holds a key that no getter asked for.
    void finish() const;
    [[noreturn]] void fail(const std::string& key, const std::string& message) const;
    [[noreturn]] void fail_here(const std::string& message) const;

    int line() const;
    int line_of(const std::string& key) const;
    const std::string& file() const { return m_file; }
    std::string key_path(const std::string& key) const;

private:
    YAML::Node value(const std::string& key) const;  // required
    template <class T>
    T convert(const std::string& key, const YAML::Node& node, const char* type_name) const;
    // An integer within +-kMaxFileInteger (common/limits.h), or an error naming the key.
    int64_t to_int(const std::string& key, const YAML::Node& node) const;

    YAML::Node m_node;
    std::string m_file;
    std::string m_path;
    YamlErrorKind m_kind;
    std::shared_ptr<std::set<std::string>> m_consumed;
};

}  // namespace npu

#include "sim/explore/sweep_spec.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "common/error.h"
#include "common/file_text.h"
#include "common/yaml_reader.h"
#include "kernels/numerics/precision.h"
#include "sim/config/arch_loader.h"
#include "sim/config/data_paths.h"
#include "workloads/ir/pruning.h"
#include "workloads/zoo.h"

namespace npu {

namespace fs = std::filesystem;

namespace {

// FNV-1a: a short, stable id for a point (the same point keeps its result file across runs).
std::string point_id(const std::string& workload, const std::vector<SweepOverride>& overrides) {
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](const std::string& s) {
        for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
        h = (h ^ 0xff) * 1099511628211ull;
    };
    mix(workload);
    for (const SweepOverride& o : overrides) {
        mix(o.key);
        mix(o.value);
    }
    return fmt::format("{:016x}", h);
}

std::vector<std::string> split_keys(const std::string& axis) {
    std::vector<std::string> keys;
    size_t start = 0;
    for (size_t plus; (plus = axis.find('+', start)) != std::string::npos; start = plus + 1)
        keys.push_back(axis.substr(start, plus - start));
    keys.push_back(axis.substr(start));
    return keys;
}

// Resolves a design or model: a shipped name, or a path relative to the sweep file.
std::string resolve_relative(const std::string& name, const std::string& sweep_dir) {
    if (name.find('/') == std::string::npos && !fs::path(name).has_extension()) return name;
    const fs::path p = fs::path(name).is_absolute() ? fs::path(name) : fs::path(sweep_dir) / name;
    return p.lexically_normal().string();
}

// Sets a dotted key of a design to a value (YAML text), creating mappings on the way.
void apply(YAML::Node root, const std::string& key, const std::string& value) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1)
        parts.push_back(key.substr(start, dot - start));
    parts.push_back(key.substr(start));
    try {
        YAML::Node node = root;
        for (size_t i = 0; i + 1 < parts.size(); ++i) {
            if (!node.IsMap())
                throw ConfigError(fmt::format("sweep key '{}' goes through a value that is not a mapping", key));
            YAML::Node next = node[parts[i]];
            if (!next.IsDefined() || next.IsNull()) node[parts[i]] = YAML::Node(YAML::NodeType::Map);
            node.reset(node[parts[i]]);
        }
        if (!node.IsMap())
            throw ConfigError(fmt::format("sweep key '{}' goes through a value that is not a mapping", key));
        node[parts.back()] = YAML::Load(value);
    } catch (const YAML::Exception& e) {
        throw ConfigError(fmt::format("sweep key '{}' = '{}': {}", key, value, e.msg));
    }
}

bool is_run_key(const std::string& key) { return key.rfind("run.", 0) == 0; }

// Run options are not design keys, so the design loader cannot check them: check them here.
// run.prune takes --prune's values or `none` (dense); magnitude pruning needs the weights' values,
// so a functional sweep.
void check_run_value(const std::string& path, const SweepOverride& o, bool functional) {
    if (o.key == "run.prune" && o.value != "none") {
        if (const std::string error = prune_spec_error(o.value); !error.empty())
            throw ConfigError(fmt::format("{}: run.prune: {}", path, error));
        if (!functional && parse_prune_spec(o.value, "run.prune").kind != PruneSpec::Kind::NM)
            throw ConfigError(
                fmt::format("{}: run.prune: '{}' is magnitude pruning, which needs the weights' values: give `mode: "
                            "functional` (N:M pruning works in timing sweeps)",
                            path, o.value));
    }
    if (o.key == "run.batch") {
        char* end = nullptr;
        const long long batch = std::strtoll(o.value.c_str(), &end, 10);
        if (o.value.empty() || *end != '\0' || batch < 1 || batch > 1000000)
            throw ConfigError(
                fmt::format("{}: run.batch: expected an integer in [1, 1000000], got '{}'", path, o.value));
    } else if (Precision p; o.key == "run.precision" && !parse_precision(o.value, p)) {
        throw ConfigError(fmt::format("{}: run.precision: expected int8, fp16, bf16 or fp32, got '{}'", path, o.value));
    }
}

}  // namespace

std::string point_design_yaml(const SweepSpec& spec, const SweepPoint& point) {
    YAML::Node root = YAML::Load(spec.base_yaml);
    for (const SweepOverride& o : spec.fixed) apply(root, o.key, o.value);
    for (const SweepOverride& o : point.overrides)
        if (!is_run_key(o.key)) apply(root, o.key, o.value);
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

std::string point_precision(const SweepSpec& spec, const SweepPoint& point) {
    for (const SweepOverride& o : point.overrides)
        if (o.key == "run.precision") return o.value;
    return spec.precision;
}

std::string point_prune(const SweepPoint& point) {
    for (const SweepOverride& o : point.overrides)
        if (o.key == "run.prune" && o.value != "none") return o.value;
    return "";
}

int64_t point_batch(const SweepSpec& spec, const SweepPoint& point) {
    for (const SweepOverride& o : point.overrides)
        if (o.key == "run.batch") return std::stoll(o.value);
    return spec.batch;
}

namespace {

// The grid of `axes`: every combination of their values, in file order; an axis `a+b` sets both
// keys to each value. Refused while expanding once it passes `max_points`.
std::vector<std::vector<SweepOverride>> expand_axes(const YamlMap& root, SweepSpec& s, int64_t max_points) {
    std::vector<std::vector<SweepOverride>> variants;
    const YamlMap axes = root.child("axes");
    variants.push_back({});
    for (const std::string& axis : axes.keys()) {
        const std::vector<std::string> values = axes.get_string_list(axis);  // numbers too, as written
        if (values.empty()) axes.fail(axis, "expected a non-empty list of values");
        for (const std::string& key : split_keys(axis)) s.axis_keys.push_back(key);
        std::vector<std::vector<SweepOverride>> grown;
        for (const auto& v : variants)
            for (const std::string& value : values) {
                if (int64_t(grown.size()) >= max_points)
                    axes.fail(axis, fmt::format("the grid has more than {} points (raise --max-points)", max_points));
                auto next = v;
                for (const std::string& key : split_keys(axis)) next.push_back({key, value});
                grown.push_back(std::move(next));
            }
        variants = std::move(grown);
    }
    axes.finish();
    return variants;
}

// The explicit list of `points`; the columns are every key any point sets, in first-seen order.
std::vector<std::vector<SweepOverride>> list_points(const YamlMap& root, SweepSpec& s) {
    std::vector<std::vector<SweepOverride>> variants;
    std::set<std::string> keys;
    for (const YamlMap& p : root.map_list("points")) {
        std::vector<SweepOverride> v;
        for (const std::string& key : p.keys()) {
            v.push_back({key, p.get_string(key)});
            if (keys.insert(key).second) s.axis_keys.push_back(key);
        }
        variants.push_back(std::move(v));
    }
    return variants;
}

// Every key must exist in the design (or be a run option): each is checked on its own now, so
// a typo stops the sweep before it starts instead of failing every point.
void check_sweep_keys(const YamlMap& root, const SweepSpec& s, const std::vector<std::vector<SweepOverride>>& variants,
                      const std::string& path, const std::string& energy_dir, const Limits& limits) {
    auto first_value = [&](const std::string& key) -> const SweepOverride* {
        for (const auto& v : variants)
            for (const SweepOverride& o : v)
                if (o.key == key) return &o;
        return nullptr;
    };
    if (!s.fixed.empty()) {
        try {
            parse_design(point_design_yaml(s, SweepPoint{}), path, energy_dir, limits);
        } catch (const ConfigError& e) {
            throw ConfigError(fmt::format("{}: `set` makes the base design invalid: {}", path, e.what()));
        }
    }
    for (const auto& v : variants)
        for (const SweepOverride& o : v) check_run_value(path, o, s.functional);
    for (const std::string& key : s.axis_keys) {
        if (key == "run.precision" || key == "run.batch" || key == "run.prune") continue;
        if (is_run_key(key))
            root.fail_here(fmt::format("unknown run option '{}' (run.precision, run.batch, run.prune)", key));
        SweepPoint probe;
        probe.overrides = {*first_value(key)};
        std::string design;
        try {
            design = point_design_yaml(s, probe);
        } catch (const ConfigError& e) {  // the key cannot be set at all
            throw ConfigError(fmt::format("{}: {}", path, e.what()));
        }
        try {
            parse_design(design, path, energy_dir, limits);
        } catch (const UnknownKeyError& e) {
            throw ConfigError(fmt::format("{}: sweep key '{}' is not a design key ({})", path, key, e.what()));
        } catch (const ConfigError&) {
            // Other errors may be this one value's; the point records them when it runs.
        }
    }
}

}  // namespace

SweepSpec load_sweep(const std::string& path, const std::string& arch_dir, const std::string& models_dir,
                     const std::string& energy_dir, int64_t max_points, const Limits& limits) {
    const YamlMap root = YamlMap::load_file(path, YamlErrorKind::Config);
    const std::string dir = fs::path(path).parent_path().string();
    SweepSpec s;
    s.source = path;
    s.name = root.get_string("name");
    root.get_string_or("description", "");
    // Unknown names fail here, naming the sweep file and key, not later in every point.
    auto resolved = [&](const std::string& key, const std::string& name, auto resolve) -> std::string {
        std::string r;
        try {
            r = resolve(resolve_relative(name, dir));
        } catch (const Error& e) {
            root.fail(key, e.what());
        }
        if (!fs::is_regular_file(r)) root.fail(key, fmt::format("'{}' is not a file", r));
        return r;
    };
    s.base_design =
        resolved("base", root.get_string("base"), [&](const std::string& n) { return resolve_design(n, arch_dir); });
    if (fs::path(s.base_design).extension() == ".cfg")
        root.fail("base", "sweeps take an npusim design YAML (convert the SCALE-Sim .cfg first)");
    s.base_yaml = read_file_or_throw<ConfigError>(s.base_design);
    // The base must be a valid design itself (file, line and key of its own errors).
    parse_design(s.base_yaml, s.base_design, energy_dir, limits);
    for (const std::string& w : root.get_string_list("workloads")) {
        s.workload_names.push_back(w);
        s.workloads.push_back(
            resolved("workloads", w, [&](const std::string& n) { return resolve_model(n, models_dir); }));
    }
    if (s.workloads.empty()) root.fail("workloads", "list at least one workload");
    s.batch = root.get_int_or("batch", 1);
    if (s.batch < 1) root.fail("batch", "must be >= 1");
    s.precision = root.get_string_or("precision", "");
    if (Precision p; !s.precision.empty() && !parse_precision(s.precision, p))
        root.fail("precision", fmt::format("expected int8, fp16, bf16 or fp32, got '{}'", s.precision));
    const std::string mode = root.get_string_or("mode", "timing");
    if (mode != "timing" && mode != "functional") root.fail("mode", "expected timing or functional");
    s.functional = mode == "functional";

    if (const auto set = root.child_opt("set")) {
        for (const std::string& key : set->keys()) {
            if (is_run_key(key)) set->fail(key, "run options go in `precision` and `batch`");
            s.fixed.push_back({key, set->get_string(key)});
        }
        set->finish();
    }
    // Design variants: the grid of `axes`, or the list of `points`.
    const bool has_axes = root.has("axes"), has_points = root.has("points");
    if (has_axes == has_points) root.fail_here("give either `axes` (a grid) or `points` (a list), not both or neither");
    const std::vector<std::vector<SweepOverride>> variants =
        has_axes ? expand_axes(root, s, max_points) : list_points(root, s);
    root.finish();
    if (int64_t(variants.size() * s.workloads.size()) > max_points)
        root.fail_here(fmt::format("{} points exceed the limit of {} (raise --max-points)",
                                   variants.size() * s.workloads.size(), max_points));
    check_sweep_keys(root, s, variants, path, energy_dir, limits);
    for (size_t w = 0; w < s.workloads.size(); ++w)
        for (const auto& v : variants) {
            SweepPoint p;
            p.index = s.points.size();
            p.workload = s.workload_names[w];
            p.overrides = v;
            p.id = point_id(p.workload, v);
            s.points.push_back(std::move(p));
        }
    return s;
}

}  // namespace npu

#pragma once
// Statistics of the hardware model. Every SystemC module registers its typed counters once, at
// construction, under its hierarchical name ("npu.core0.systolic_array.busy_cycles"), and adds
// to them on the hot path through a reference (no strings). Each counter is indexed by a tag:
// the region of the program an instruction belongs to (a workload layer today; a training
// phase or a step later). Reports read the counters by name at dump time (sim/runtime
// simulation_collect.cpp) and derive every metric in one place (RunResult, run_result.h).
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace npu {

class TaggedCounter {
public:
    void reset(size_t tags) { m_values.assign(tags, 0); }
    void add(int32_t tag, int64_t amount) { m_values[size_t(tag)] += amount; }
    int64_t at(size_t tag) const { return tag < m_values.size() ? m_values[tag] : 0; }
    int64_t total() const;
    size_t tags() const { return m_values.size(); }

private:
    std::vector<int64_t> m_values;
};

class StatsRegistry {
public:
    struct Entry {
        std::string name;  // hierarchical: <module path>.<counter>
        std::string unit;  // "cycles", "bytes", "bursts", "macs", ...
        std::string description;
        TaggedCounter counter;
    };

    // Registers a counter; a second registration of the same name is a programming error. The
    // reference stays valid for the registry's lifetime.
    TaggedCounter& add(const std::string& name, const std::string& unit, const std::string& description);
    // Clears every counter and sizes it for `tags` tags (at the start of a program).
    void reset(size_t tags);
    bool has(const std::string& name) const { return find(name) != nullptr; }
    // The counter registered under `name`; throws std::logic_error naming it when there is none.
    const TaggedCounter& at(const std::string& name) const;
    const std::deque<Entry>& entries() const { return m_entries; }  // in registration order

private:
    const Entry* find(const std::string& name) const;

    std::deque<Entry> m_entries;  // a deque: references to counters survive later registrations
};

}  // namespace npu

#include "arch/stats_registry.h"

#include <numeric>
#include <stdexcept>

namespace npu {

int64_t TaggedCounter::total() const { return std::accumulate(m_values.begin(), m_values.end(), int64_t(0)); }

TaggedCounter& StatsRegistry::add(const std::string& name, const std::string& unit, const std::string& description) {
    if (find(name)) throw std::logic_error("stats counter registered twice: " + name);
    m_entries.push_back({name, unit, description, TaggedCounter{}});
    return m_entries.back().counter;
}

void StatsRegistry::reset(size_t tags) {
    for (Entry& e : m_entries) e.counter.reset(tags);
}

const StatsRegistry::Entry* StatsRegistry::find(const std::string& name) const {
    for (const Entry& e : m_entries)
        if (e.name == name) return &e;
    return nullptr;
}

const TaggedCounter& StatsRegistry::at(const std::string& name) const {
    const Entry* e = find(name);
    if (!e) throw std::logic_error("no stats counter named " + name);
    return e->counter;
}

}  // namespace npu

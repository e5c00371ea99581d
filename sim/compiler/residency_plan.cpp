#include "sim/compiler/residency_plan.h"

#include <algorithm>

#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/fusion_plan.h"
#include "workloads/ops/op_def.h"

namespace npu {
namespace {

struct Placed {
    int32_t tensor;
    int64_t lo, hi;  // depth below the buffer's top: [lo, hi)
};

bool lifetimes_overlap(const ResidencyPlan& p, int32_t a, int32_t b) {
    return p.first_def[size_t(a)] <= p.last_use[size_t(b)] && p.first_def[size_t(b)] <= p.last_use[size_t(a)];
}

// The last reader of every tensor, following aliases; -1 for a tensor nobody reads.
std::vector<int32_t> last_uses(const Graph& g, const DramPlan& dram) {
    std::vector<int32_t> last(g.layers.size(), -1);
    for (size_t j = 0; j < g.layers.size(); ++j)
        for (int input : g.layers[j].inputs) {
            int32_t& l = last[size_t(dram.tensor_id[size_t(input)])];
            l = std::max(l, int32_t(j));
        }
    return last;
}

// A tensor may live on chip if it is an activation: not a network input, not an alias, and
// read by someone (a tensor nobody reads, or read only through an alias nobody reads, is a
// network output).
std::vector<bool> candidates(const Graph& g, const DramPlan& dram, const std::vector<int32_t>& last) {
    std::vector<bool> ok(g.layers.size(), false);
    for (size_t i = 0; i < g.layers.size(); ++i)
        ok[i] = g.layers[i].kind != LayerKind::Input && dram.tensor_id[i] == int32_t(i) && last[i] >= 0;
    const std::vector<std::vector<int>> consumers = g.consumers();
    for (size_t i = 0; i < g.layers.size(); ++i)
        if (consumers[i].empty()) ok[size_t(dram.tensor_id[i])] = false;
    return ok;
}

// The lowest depth where `bytes` fits among the placed tensors live with `tensor`; -1 if none
// within the limit and the room the tiles of its lifetime's layers leave.
int64_t first_fit(const ResidencyPlan& p, const std::vector<Placed>& placed, int32_t tensor, int64_t bytes,
                  const std::vector<int64_t>& tile_demand) {
    std::vector<Placed> live;
    for (const Placed& q : placed)
        if (lifetimes_overlap(p, q.tensor, tensor)) live.push_back(q);
    std::sort(live.begin(), live.end(), [](const Placed& a, const Placed& b) { return a.lo < b.lo; });
    int64_t depth = 0;
    for (const Placed& q : live) {
        if (depth + bytes <= q.lo) break;
        depth = std::max(depth, q.hi);
    }
    int64_t room = p.limit_bytes;
    for (int32_t l = p.first_def[size_t(tensor)]; l <= p.last_use[size_t(tensor)] && size_t(l) < tile_demand.size();
         ++l)
        room = std::min(room, p.capacity_bytes - tile_demand[size_t(l)]);
    return depth + bytes <= room ? depth : -1;
}

}  // namespace

ResidencyPlan plan_residency(const Graph& g, const DramPlan& dram, const NpuConfig& config,
                             const std::vector<int64_t>& tile_demand, const FusionPlan* fusion) {
    const size_t n = g.layers.size();
    ResidencyPlan p;
    p.buffer = home_of(config, Operand::Ifmap);
    p.capacity_bytes = buffer_capacity(config, p.buffer);
    p.offset.assign(n, -1);
    p.bytes.assign(n, 0);
    p.reserved_bytes.assign(n, 0);
    p.overwrites.assign(n, {});
    p.last_use = last_uses(g, dram);
    p.first_def.resize(n);
    for (size_t i = 0; i < n; ++i)
        p.first_def[i] = fusion && fusion->into_conv[i] >= 0 ? fusion->into_conv[i] : int32_t(i);
    if (!config.memory.residency) return p;
    p.limit_bytes = int64_t(double(p.capacity_bytes) * config.memory.resident_fraction) / int64_t(kDramAlignment) *
                    int64_t(kDramAlignment);
    std::vector<bool> ok = candidates(g, dram, p.last_use);
    for (size_t i = 0; fusion && i < n; ++i)
        if (fusion->next_of[i] >= 0) ok[i] = false;  // a fused conv's output never exists
    std::vector<Placed> placed;
    for (size_t i = 0; i < n; ++i) {
        if (!ok[i]) continue;
        const int64_t bytes =
            int64_t(DramAllocator::align(uint64_t(g.layers[i].output.elements() * dram.element_bytes[i])));
        const int64_t depth = first_fit(p, placed, int32_t(i), bytes, tile_demand);
        if (depth < 0) continue;  // spills: lives in DRAM
        for (const Placed& q : placed)
            if (q.lo < depth + bytes && depth < q.hi) p.overwrites[i].push_back(q.tensor);
        placed.push_back({int32_t(i), depth, depth + bytes});
        p.offset[i] = p.capacity_bytes - depth - bytes;
        p.bytes[i] = bytes;
    }
    for (const Placed& q : placed)
        for (int32_t l = p.first_def[size_t(q.tensor)]; l <= p.last_use[size_t(q.tensor)]; ++l)
            p.reserved_bytes[size_t(l)] = std::max(p.reserved_bytes[size_t(l)], q.hi);
    for (int64_t r : p.reserved_bytes) p.peak_bytes = std::max(p.peak_bytes, r);
    return p;
}

std::vector<isa::ResidentTensor> resident_table(const ResidencyPlan& p, const DramPlan& dram) {
    std::vector<isa::ResidentTensor> table;
    for (size_t i = 0; i < p.offset.size(); ++i)
        if (p.resident(int(i)))
            table.push_back({int32_t(i), p.address(int(i)), uint64_t(p.bytes[i]), dram.output_address[i]});
    return table;
}

}  // namespace npu

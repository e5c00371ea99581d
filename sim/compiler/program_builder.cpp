#include "sim/compiler/program_builder.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "common/limits.h"

namespace npu {

ProgramBuilder::ProgramBuilder(Precision precision, int32_t layers, size_t tensors, const Limits& limits)
    : m_limits(limits), m_precision(precision), m_last_store(tensors, -1), m_last_load(tensors, -1) {
    m_program.layers = layers;
}

int32_t ProgramBuilder::append(isa::Queue queue, std::variant<isa::Transfer, isa::Gemm, isa::Vector> body,
                               std::initializer_list<Touch> touches, const std::vector<int32_t>& extra_deps) {
    const int32_t index = int32_t(m_program.instructions.size());
    if (index >= m_limits.instructions)
        throw LimitError(fmt::format("the program grows past {} instructions {}", m_limits.instructions,
                                     m_limits.hint("instructions")));
    isa::Instruction in;
    in.queue = queue;
    in.layer = m_layer;
    in.body = std::move(body);
    for (const Touch& t : touches)
        m_buffers[size_t(t.region.buffer)].access(t.region.offset, t.region.offset + t.region.size, t.write, index,
                                                  in.deps);
    for (int32_t d : extra_deps)
        if (d >= 0) in.deps.push_back(d);
    std::sort(in.deps.begin(), in.deps.end());
    in.deps.erase(std::unique(in.deps.begin(), in.deps.end()), in.deps.end());
    m_program.instructions.push_back(std::move(in));
    return index;
}

int32_t ProgramBuilder::load(const isa::DramBox& box, const isa::Region& dst, int32_t tensor) {
    const int32_t producer = tensor >= 0 ? m_last_store[size_t(tensor)] : -1;
    const int32_t index = append(isa::Queue::Load, isa::Transfer{box, dst}, {{dst, true}}, {producer});
    if (tensor >= 0) m_last_load[size_t(tensor)] = index;
    return index;
}

int32_t ProgramBuilder::store(const isa::Region& src, const isa::DramBox& box, int32_t tensor) {
    std::vector<int32_t> readers;
    if (size_t(tensor) < m_overwrites.size())
        for (int32_t dead : m_overwrites[size_t(tensor)]) readers.push_back(m_last_load[size_t(dead)]);
    const int32_t index = append(isa::Queue::Store, isa::Transfer{box, src}, {{src, false}}, readers);
    m_last_store[size_t(tensor)] = index;
    return index;
}

int32_t ProgramBuilder::gemm(const isa::Gemm& gemm) {
    isa::Gemm g = gemm;
    g.precision = m_precision;
    // The accumulator tile is read-modify-written: a write covers both hazards.
    return append(isa::Queue::Array, g, {{g.a_region(), false}, {g.b_region(), false}, {g.accumulator, true}}, {});
}

int32_t ProgramBuilder::vector(const isa::Vector& vector) {
    isa::Vector v = vector;
    v.precision = m_precision;
    if (isa::reads_params(v.op) && isa::reads_second_input(v.op))
        return append(isa::Queue::Vector, v, {{v.src, false}, {v.src2, false}, {v.params, false}, {v.dst, true}}, {});
    if (isa::reads_params(v.op))
        return append(isa::Queue::Vector, v, {{v.src, false}, {v.params, false}, {v.dst, true}}, {});
    if (isa::reads_second_input(v.op))
        return append(isa::Queue::Vector, v, {{v.src, false}, {v.src2, false}, {v.dst, true}}, {});
    return append(isa::Queue::Vector, v, {{v.src, false}, {v.dst, true}}, {});
}

isa::Program ProgramBuilder::finish(uint64_t dram_bytes) {
    m_program.dram_bytes = dram_bytes;
    return std::move(m_program);
}

}  // namespace npu

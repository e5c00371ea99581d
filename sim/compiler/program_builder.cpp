#include "sim/compiler/program_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>

#include "common/error.h"
#include "common/limits.h"

namespace npu {

ProgramBuilder::ProgramBuilder(Precision precision, int32_t layers, size_t tensors, const Limits& limits)
    : m_limits(limits),
      m_precision(precision),
      m_last_store(tensors, -1),
      m_last_load(tensors, -1),
      m_layer_instructions(size_t(layers), 0),
      m_high_water(size_t(layers), std::array<int64_t, 5>{0, 0, 0, 0, 0}) {
    m_program.layers = layers;
}

void ProgramBuilder::stream_into(isa::Program& program, std::function<void()> after_append) {
    m_mode = Mode::Stream;
    m_target = &program;
    m_after_append = std::move(after_append);
}

void ProgramBuilder::count(const isa::Instruction& in) {
    ++m_layer_instructions.at(size_t(in.layer));
    std::array<int64_t, 5>& high = m_high_water[size_t(in.layer)];
    auto touch = [&](const isa::Region& r) {
        if (r.size <= 0 || r.buffer == isa::Buffer::Accumulator) return;
        int64_t& h = high[size_t(r.buffer)];
        h = std::max(h, r.offset + r.size);
    };
    if (const auto* t = std::get_if<isa::Transfer>(&in.body)) {
        touch(t->sram);
    } else if (const auto* g = std::get_if<isa::Gemm>(&in.body)) {
        touch(g->a_region());
        touch(g->b_region());
    } else {
        const isa::Vector& v = in.vector();
        for (const isa::Region* r : {&v.src, &v.src2, &v.params, &v.dst}) touch(*r);
    }
}

int32_t ProgramBuilder::append(isa::Queue queue, std::variant<isa::Transfer, isa::Gemm, isa::Vector> body,
                               std::initializer_list<Touch> touches, const std::vector<int32_t>& extra_deps) {
    const int64_t index = m_appended;
    // Held programs are bounded by the limit; any program by the index type of its dependencies.
    const int64_t limit = m_mode == Mode::Hold ? m_limits.instructions : int64_t(INT32_MAX);
    if (index >= limit)
        throw LimitError(m_mode == Mode::Hold ? fmt::format("the program grows past {} instructions {}",
                                                            m_limits.instructions, m_limits.hint("instructions"))
                                              : fmt::format("the program grows past {} instructions", INT32_MAX));
    isa::Instruction in;
    in.queue = queue;
    in.layer = m_layer;
    in.body = std::move(body);
    count(in);
    ++m_appended;
    if (m_mode == Mode::Count) return int32_t(index);
    for (const Touch& t : touches)
        m_buffers[size_t(t.region.buffer)].access(t.region.offset, t.region.offset + t.region.size, t.write,
                                                  int32_t(index), int(queue), in.deps);
    for (int32_t d : extra_deps)
        if (d >= 0) in.deps.push_back(d);
    std::sort(in.deps.begin(), in.deps.end());
    in.deps.erase(std::unique(in.deps.begin(), in.deps.end()), in.deps.end());
    m_target->instructions.push_back(std::move(in));
    if (m_after_append) m_after_append();
    return int32_t(index);
}

int32_t ProgramBuilder::load(const isa::DramBox& box, const isa::Region& dst, int32_t tensor) {
    const int32_t producer = tensor >= 0 ? m_last_store[size_t(tensor)] : -1;
    const int32_t index = append(isa::Queue::Load, isa::Transfer{box, dst}, {{dst, true}}, {producer});
    if (tensor >= 0) m_last_load[size_t(tensor)] = index;
    return index;
}

int32_t ProgramBuilder::load_packed(const isa::DramBox& box, const isa::DramBox& packed, const isa::Region& dst) {
    return append(isa::Queue::Load, isa::Transfer{box, dst, packed}, {{dst, true}}, {-1});
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

#pragma once
// Appends instructions to a program and derives their dependencies: on-chip hazards through
// the buffers they touch, and DRAM read-after-write through the tensors they load.
#include <array>
#include <functional>
#include <vector>

#include "arch/isa.h"
#include "common/limits.h"
#include "sim/compiler/hazard_tracker.h"

namespace npu {

class ProgramBuilder {
public:
    ProgramBuilder(Precision precision, int32_t layers, size_t tensors, const Limits& limits);
    ProgramBuilder(const ProgramBuilder&) = delete;  // m_target may point into it
    ProgramBuilder& operator=(const ProgramBuilder&) = delete;

    void set_layer(int32_t layer) { m_layer = layer; }
    // The precision stamped on the GEMM and vector instructions appended from now on.
    void set_precision(Precision precision) { m_precision = precision; }
    // DRAM -> SRAM; waits for the stores that wrote tensor `tensor` (-1: written before the run).
    int32_t load(const isa::DramBox& box, const isa::Region& dst, int32_t tensor);
    // A load of constants stored packed in DRAM (isa::Transfer::packed): `packed` moves, `box`'s
    // dense values arrive.
    int32_t load_packed(const isa::DramBox& box, const isa::DramBox& packed, const isa::Region& dst);
    // Per tensor: the tensors whose place it reuses (on chip, after their last reader); its stores
    // wait for the loads that read those.
    void set_overwrites(std::vector<std::vector<int32_t>> overwrites) { m_overwrites = std::move(overwrites); }
    // SRAM -> DRAM (or a resident place on chip) of tensor `tensor`.
    int32_t store(const isa::Region& src, const isa::DramBox& box, int32_t tensor);
    int32_t gemm(const isa::Gemm& g);
    int32_t vector(const isa::Vector& v);

    // Count only: keep no instruction and track no hazard, only the counts and high-water marks
    // below (the compiler's first pass over a streamed program, which validates it too).
    void count_only() { m_mode = Mode::Count; }
    // Append to `program`, calling `after_append` after each instruction (a streamed program:
    // Controller::pace); the instructions limit then does not apply, since the program is
    // released as it runs.
    void stream_into(isa::Program& program, std::function<void()> after_append);

    isa::Program finish(uint64_t dram_bytes);
    size_t size() const { return size_t(m_appended); }
    // Per layer: instructions appended, and the end of the highest region they touch in each
    // buffer (indexed by isa::Buffer; the accumulator's left 0).
    const std::vector<int64_t>& layer_instructions() const { return m_layer_instructions; }
    const std::vector<std::array<int64_t, 5>>& tile_high_water() const { return m_high_water; }

private:
    struct Touch {
        isa::Region region;
        bool write;
    };
    int32_t append(isa::Queue queue, std::variant<isa::Transfer, isa::Gemm, isa::Vector> body,
                   std::initializer_list<Touch> touches, const std::vector<int32_t>& extra_deps);

    void count(const isa::Instruction& in);

    enum class Mode { Hold, Count, Stream };
    Mode m_mode = Mode::Hold;
    Limits m_limits;
    isa::Program m_program;
    isa::Program* m_target = &m_program;  // where instructions go
    std::function<void()> m_after_append;
    int64_t m_appended = 0;
    int32_t m_layer = 0;
    Precision m_precision;
    std::array<HazardTracker, 5> m_buffers;  // indexed by isa::Buffer
    std::vector<int32_t> m_last_store;       // per tensor
    std::vector<int32_t> m_last_load;        // per tensor
    std::vector<std::vector<int32_t>> m_overwrites;
    std::vector<int64_t> m_layer_instructions;
    std::vector<std::array<int64_t, 5>> m_high_water;
};

}  // namespace npu

// Timing-only runs stream their programs (Controller::start_streamed): the figures must equal
// those of the same program held whole, and the memory it holds must not grow with the batch.
#include <catch2/catch.hpp>

#include "sc_helpers.h"

using namespace npu;

namespace {

SimulationOptions timing_only() {
    SimulationOptions options;
    options.functional = false;
    return options;
}

}  // namespace

TEST_CASE("a streamed timing-only run gives the held program's figures, layer by layer", "[sc][streamed]") {
    // One elaboration per process: both runs use one Simulation, the held one through
    // compile/execute/collect, the streamed one through run().
    const NpuConfig c = test::design("edge_32x32");
    Simulation sim(c, timing_only());
    for (const char* model : {"resnet18", "mobilenetv2"}) {
        INFO(model);
        const PreparedWorkload w = prepare_workload(test::model(model, 3), c.precisions.front(), false, 1);
        sim.release_dram();
        const CompiledModel held = sim.compile(w);
        REQUIRE(!held.program.streamed());
        const RunResult whole = sim.collect(w, held, sim.execute(held.program));
        const RunResult streamed = sim.run(w);
        REQUIRE(sim.last_compiled().program.streamed());
        CHECK(sim.last_compiled().program.instructions.held() == 0);  // released after the run
        CHECK(streamed.instructions == int64_t(held.program.instructions.size()));
        CHECK(streamed.cycles == whole.cycles);
        CHECK(streamed.dram_read_bytes == whole.dram_read_bytes);
        CHECK(streamed.dram_write_bytes == whole.dram_write_bytes);
        REQUIRE(streamed.layers.size() == whole.layers.size());
        for (size_t i = 0; i < whole.layers.size(); ++i) {
            INFO(whole.layers[i].name);
            CHECK(streamed.layers[i].cycles == whole.layers[i].cycles);
            CHECK(streamed.layers[i].compute_cycles == whole.layers[i].compute_cycles);
            CHECK(streamed.layers[i].instructions == whole.layers[i].instructions);
            CHECK(streamed.layers[i].onchip_bytes == whole.layers[i].onchip_bytes);
        }
    }
}

TEST_CASE("a streamed program holds a bounded window of instructions, whatever the batch", "[sc][streamed]") {
    const NpuConfig c = test::design("tpu_v1");
    Simulation sim(c, timing_only());
    size_t peak_small = 0;
    for (int64_t batch : {1024, 4096}) {
        INFO("batch " << batch);
        Graph g = test::model("resnet18");
        Limits limits;
        limits.per_image_activations = true;  // timing-only: no activations allocated
        reshape_input(g, batch, 0, 0, limits);
        const PreparedWorkload w = prepare_workload(g, Precision::Int8, false, 1);
        const RunResult r = sim.run(w);
        REQUIRE(r.instructions > int64_t(4 * Controller::kFeedAhead));  // long enough to be streamed
        // The feed runs at most kFeedAhead past dispatch; what is dispatched but not complete
        // adds little (bounded queues).
        CHECK(sim.peak_held_instructions() <= 2 * Controller::kFeedAhead);
        if (batch == 1024) peak_small = sim.peak_held_instructions();
    }
    CHECK(sim.peak_held_instructions() <= peak_small + Controller::kFeedAhead / 4);
}

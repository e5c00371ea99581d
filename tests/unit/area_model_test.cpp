// The first-order area model: hand-computed totals for two shipped designs, and how area moves
// with each input.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "arch/area_model.h"
#include "sim/config/arch_loader.h"
#include "test_designs.h"
#include "test_paths.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

NpuConfig design(const std::string& name) { return load_design(test::arch_file(name), test::energy_dir()); }

}  // namespace

TEST_CASE("area of tiny_4x4 at 45 nm, by hand", "[area]") {
    // 16 PEs at the widest precision (fp32: 17600 um2); 16 + 4 KiB SRAM at 5669 um2/KiB;
    // 4 vector lanes at 8390 um2; 10% overhead on top; 45 nm scales by 1.
    const AreaBreakdown a = area_of(design("tiny_4x4"));
    CHECK(a.pe_mm2 == Approx(16 * 17600e-6));
    CHECK(a.sram_mm2 == Approx(20 * 5669e-6));
    CHECK(a.vector_mm2 == Approx(4 * 8390e-6));
    CHECK(a.overhead_mm2 == Approx(0.1 * (0.2816 + 0.11338 + 0.03356)));
    CHECK(a.total_mm2() == Approx(0.471394));
}

TEST_CASE("area of the Gemmini-like design at 16 nm, by hand", "[area]") {
    // 256 int8 PEs (1218 um2), 256 + 64 KiB SRAM, 16 lanes, all x 0.214 for 16 nm.
    const AreaBreakdown a = area_of(design("gemmini"));
    CHECK(a.pe_mm2 == Approx(256 * 1218 * 0.214e-6));
    CHECK(a.sram_mm2 == Approx(320 * 5669 * 0.214e-6));
    CHECK(a.vector_mm2 == Approx(16 * 8390 * 0.214e-6));
    CHECK(a.total_mm2() == Approx(1.1 * (256 * 1218 + 320 * 5669 + 16 * 8390) * 0.214e-6));
}

TEST_CASE("area grows with PEs, precision and SRAM, and shrinks with the node", "[area]") {
    NpuConfig c = design("gemmini");
    const double base = area_of(c).total_mm2();
    NpuConfig wider = c;
    wider.rows *= 2;
    CHECK(area_of(wider).pe_mm2 == Approx(2 * area_of(c).pe_mm2));
    NpuConfig fp16 = c;
    fp16.precisions.push_back(Precision::Fp16);
    CHECK(area_of(fp16).pe_mm2 == Approx(area_of(c).pe_mm2 * 8390.0 / 1218.0));
    NpuConfig bigger = c;
    bigger.unified.size_bytes *= 4;
    CHECK(area_of(bigger).sram_mm2 == Approx(area_of(c).sram_mm2 * (4 * 256 + 64) / 320.0));
    NpuConfig older = c;
    older.area.scale_to_design = 1.0;  // the same design at 45 nm
    CHECK(area_of(older).total_mm2() == Approx(base / 0.214));
}

TEST_CASE("the TPU v1-like design's area is within the real die's order of magnitude", "[area]") {
    // Jouppi et al. (ISCA 2017): die < 331 mm2 at 28 nm, of which the matrix unit ~24% and the
    // unified buffer ~29%. A first-order model leaves out wiring and I/O, so it may be low, but
    // not by 10x, and the two big parts must be within 3x of the die shares.
    const AreaBreakdown a = area_of(design("tpu_v1"));
    CHECK(a.total_mm2() > 331.0 / 10);
    CHECK(a.total_mm2() < 331.0);
    CHECK(a.pe_mm2 > 0.24 * 331 / 3);
    CHECK(a.pe_mm2 < 0.24 * 331 * 3);
    CHECK(a.sram_mm2 > 0.29 * 331 / 3);
    CHECK(a.sram_mm2 < 0.29 * 331 * 3);
}

TEST_CASE("area table errors name the energy file and key", "[area][errors]") {
    const std::string table = [] {
        std::ifstream in(test::energy_dir() + "/horowitz_45nm.yaml");
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }();
    struct Case {
        std::string from, to, expect;
    };
    const Case cases[] = {
        {"overhead_fraction: 0.10", "overhead_fraction: 1.5", "area.overhead_fraction: must be in [0, 1)"},
        {"pe_int8_um2: 1218", "pe_int8_um2: 0", "area.pe_int8_um2: must be > 0"},
        {"    16: 0.214", "    sixteen: 0.214", "area.node_scaling.sixteen: expected a technology node in nm"},
        {"    16: 0.214", "    15: 0.214", "energy table 'bad' has no area scaling for 16 nm"},
        {"  sram_um2_per_kib: 5669\n", "", "area.sram_um2_per_kib: missing required key"},
    };
    for (const Case& c : cases) {
        INFO(c.to);
        const std::string dir = std::string(NPUSIM_TEST_TMP) + "/area_energy";
        std::filesystem::create_directories(dir);
        std::ofstream(dir + "/bad.yaml") << test::replace_once(table, c.from, c.to);
        const std::string design_text = test::replace_once(test::kDesignYaml, "horowitz_45nm", "bad");
        CHECK_THROWS_WITH(parse_design(design_text, "t.yaml", dir), Contains(c.expect));
    }
}

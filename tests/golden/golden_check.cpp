// The golden test of the timing model: for one shipped design, every zoo model x dataflow (ws, os,
// is) x batch (1, 4) x memory planner (off: every tensor through DRAM and no fusion, the
// behaviour before the planner; on: residency and fusion) runs `npusim run --timing-only --json`, and its total,
// compute and stall cycles and DRAM bytes read and written must equal tests/golden/timing_only.csv exactly. A refactor
// keeps every figure; a change meant to move them updates the file in the same commit (tools/update_golden.sh) and says
// why.
//
// Usage: npusim_golden_check NPUSIM_BINARY SOURCE_DIR DESIGN OUT_CSV [on|off]
//   writes what this build produced for DESIGN (in one residency mode, or both) to OUT_CSV and
//   exits 1 on any difference.
#include <fmt/format.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Points left out, with the reason; each is printed on every run so it is not forgotten. None
// today: tiny_4x4 x vgg16 x is x batch 4 (10 M instructions) was, until timing-only programs
// streamed (24 GiB before, 24 MB now).
const std::map<std::string, const char*> kLeftOut = {};

const char* const kHeader =
    "design,model,dataflow,batch,residency,cycles,compute_cycles,stall_cycles,dram_read_bytes,dram_write_bytes";

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> stems(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

// Runs one point; a run that fails is recorded with its error line (that is behaviour too).
std::string run_point(const std::string& npusim, const std::string& key, const std::string& model,
                      const std::string& dataflow, int batch, const std::string& residency,
                      const std::string& json_path) {
    const std::string design = key.substr(0, key.find(','));
    fs::remove(json_path);
    const std::string command = fmt::format(
        "{} run --arch {} --workload {} --dataflow {} --batch {} --residency {} --fusion {} "
        "--timing-only --quiet --json {} 2>&1",
        npusim, design, model, dataflow, batch, residency, residency, json_path);
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    std::array<char, 4096> buffer;
    while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    const int status = pclose(pipe);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::string line = out.substr(0, out.find('\n'));
        std::replace(line.begin(), line.end(), ',', ';');
        return fmt::format("{},error {}: {}", key, WIFEXITED(status) ? WEXITSTATUS(status) : 128, line);
    }
    const nlohmann::json t = nlohmann::json::parse(slurp(json_path)).at("total");
    return fmt::format("{},{},{},{},{},{}", key, t.at("cycles").get<int64_t>(), t.at("compute_cycles").get<int64_t>(),
                       t.at("stall_cycles").get<int64_t>(), t.at("dram_read_bytes").get<int64_t>(),
                       t.at("dram_write_bytes").get<int64_t>());
}

// The golden rows of one design (in one residency mode, or both when `mode` is empty), keyed by
// "design,model,dataflow,batch,residency".
std::map<std::string, std::string> golden_rows(const std::string& path, const std::string& design,
                                               const std::string& mode) {
    std::map<std::string, std::string> rows;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(design + ",", 0) != 0) continue;
        size_t comma = 0;
        for (int i = 0; i < 5; ++i) comma = line.find(',', comma + 1);
        const std::string key = line.substr(0, comma);
        if (mode.empty() || key.substr(key.rfind(',') + 1) == mode) rows[key] = line;
    }
    return rows;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc == 6 ? argv[5] : "";
    if ((argc != 5 && argc != 6) || (argc == 6 && mode != "on" && mode != "off")) {
        fmt::print(stderr, "usage: npusim_golden_check NPUSIM_BINARY SOURCE_DIR DESIGN OUT_CSV [on|off]\n");
        return 2;
    }
    const std::string npusim = argv[1], source = argv[2], design = argv[3], out_path = argv[4];
    const std::string golden_path = source + "/tests/golden/timing_only.csv";
    std::map<std::string, std::string> golden = golden_rows(golden_path, design, mode);
    std::ofstream out(out_path);
    int differences = 0, points = 0;
    for (const std::string& model : stems(source + "/workloads/models"))
        for (const char* dataflow : {"ws", "os", "is"})
            for (int batch : {1, 4})
                for (const std::string residency : {"off", "on"}) {
                    if (!mode.empty() && residency != mode) continue;
                    const std::string key = fmt::format("{},{},{},{},{}", design, model, dataflow, batch, residency);
                    if (const auto skip = kLeftOut.find(key); skip != kLeftOut.end()) {
                        fmt::print("LEFT OUT {}: {}\n", key, skip->second);
                        continue;
                    }
                    const std::string row =
                        run_point(npusim, key, model, dataflow, batch, residency, out_path + ".json");
                    out << row << "\n";
                    ++points;
                    const auto it = golden.find(key);
                    if (it == golden.end()) {
                        fmt::print("MISSING from {}: {}\n", golden_path, row);
                        ++differences;
                    } else {
                        if (it->second != row) {
                            fmt::print("DIFFERS: golden {}\n         now    {}\n", it->second, row);
                            ++differences;
                        }
                        golden.erase(it);
                    }
                }
    for (const auto& [key, row] : golden) {
        fmt::print("STALE in {} (no such point now): {}\n", golden_path, row);
        ++differences;
    }
    fmt::print("golden {}: {} points, {} differences (header: {})\n", design, points, differences, kHeader);
    return differences ? 1 : 0;
}

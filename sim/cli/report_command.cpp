#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "sim/cli/commands.h"
#include "sim/explore/sweep_report.h"
#include "sim/report/report.h"

namespace npu::cli {

Action add_report_command(CLI::App& app, const DataPaths&) {
    struct Args {
        std::string results;
        std::string out;
    };
    auto a = std::make_shared<Args>();
    app.add_option("results", a->results, "A sweep's results directory (holding results.json)")->required();
    app.add_option("--out", a->out, "The HTML file (default: <results>/report.html)");
    return [a] {
        const std::string out = a->out.empty() ? (std::filesystem::path(a->results) / "report.html").string() : a->out;
        check_output_files({{"--out", out}});
        write_file(out, sweep_report_html(a->results));
        fmt::print("wrote {}\n", out);
        return 0;
    };
}

}  // namespace npu::cli

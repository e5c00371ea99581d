#pragma once
// Running the npusim binary (or any shell command) from a test and reading what it wrote.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace npu::test {

struct Result {
    int status;       // the exit code, or 128 + the signal
    std::string out;  // stdout and stderr together
};

inline Result shell(const std::string& command) {
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buffer;
    while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    const int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), out};
}

inline Result npusim(const std::string& args) { return shell(std::string(NPUSIM_BINARY) + " " + args); }

// `npusim explain ...`. After explain's SystemC run, LeakSanitizer finds the main thread
// registered on a SystemC coroutine stack and crashes scanning it at exit ("Tracer caught signal
// 11"; LSan does not follow coroutine switches), so the sanitizer build runs explain without leak
// detection. AddressSanitizer's other checks and UBSan stay on; release builds ignore it.
inline Result npusim_explain(const std::string& args) {
    return shell("ASAN_OPTIONS=detect_leaks=0 " + std::string(NPUSIM_BINARY) + " explain " + args);
}

// A path in this process's own scratch folder: ctest runs test cases as parallel processes,
// which must not rewrite each other's files.
inline std::string temp_path(const std::string& name) {
    const std::string folder = std::string(NPUSIM_TEST_TMP) + "/p" + std::to_string(getpid());
    std::filesystem::create_directories(folder);
    return folder + "/" + name;
}

inline std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

inline int count_lines(const std::string& text) {
    int n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

// The rows of a run's layer table, each up to its energy (a functional run adds a check column
// after it), leaving out the rows that contain `skip` (none when empty): what timing-only and
// functional runs of one model must agree on.
inline std::string layer_rows(const std::string& out, const std::string& skip = "") {
    const size_t begin = out.find("\nlayer "), end = out.find("\n(mem:");
    std::istringstream table(out.substr(begin, end - begin));
    std::string kept;
    for (std::string line; std::getline(table, line);)
        if (line.rfind('J') != std::string::npos && (skip.empty() || line.find(skip) == std::string::npos))
            kept += line.substr(0, line.rfind('J') + 1) + "\n";
    return kept;
}

}  // namespace npu::test

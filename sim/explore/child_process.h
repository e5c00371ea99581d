#pragma once
// npusim running npusim: a sweep's points and `run --arch a --arch b` each run as their own
// process (SystemC elaborates one NPU per process), stdout and stderr into a log file.
#include <sys/types.h>

#include <string>
#include <vector>

namespace npu {

// Starts args[0] with args; an Error naming the program if it cannot start.
pid_t spawn_logged(const std::vector<std::string>& args, const std::string& log_path);

// Runs it to the end: its wait status (WIFEXITED / WEXITSTATUS apply).
int run_logged(const std::vector<std::string>& args, const std::string& log_path);

// The last non-empty line of a child's log: npusim's one-line error ("no output" if none).
std::string last_log_line(const std::string& log_path);

}  // namespace npu

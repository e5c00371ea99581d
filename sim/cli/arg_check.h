#pragma once
// The command line checked before CLI11 parses it, so that every argument error is one line
// naming the argument, with a "did you mean" for a typo. CLI11 2.1 alone reports an unknown
// option as the required one it did not find, lists stray words in reverse order, and has its own
// wording for a number that is not one.
#include <CLI/CLI.hpp>

#include <string>

namespace npu::cli {

// "" when every word of argv is a known subcommand, a known option of it (each at most once unless
// repeatable), a value of one (numbers checked against the option's type) or a positional argument
// the subcommand takes; otherwise the message, e.g. "run: unknown option '--archh' (did you mean
// '--arch'?)".
std::string check_arguments(CLI::App& app, int argc, const char* const argv[]);

// A parse error CLI11 still raises (a missing required option, a validator's refusal) in the same
// one-line form.
std::string parse_error_message(const CLI::ParseError& e);

}  // namespace npu::cli

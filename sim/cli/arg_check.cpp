#include "sim/cli/arg_check.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>

#include "common/spelling.h"

namespace npu::cli {
namespace {

std::vector<std::string> option_names(CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::Option* o : app.get_options()) {
        for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
        for (const std::string& s : o->get_snames()) names.push_back("-" + s);
    }
    return names;
}

std::string with_hint(std::string message, const std::string& word, const std::vector<std::string>& candidates) {
    const std::string near = closest_spelling(word, candidates);
    if (!near.empty()) message += fmt::format(" (did you mean '{}'?)", near);
    return message;
}

bool is_number(const std::string& text, bool integer) {
    if (text.empty()) return false;
    char* end = nullptr;
    errno = 0;
    if (integer) {
        std::strtoll(text.c_str(), &end, 10);
        return errno == 0 && *end == '\0';
    }
    const double v = std::strtod(text.c_str(), &end);
    return errno == 0 && *end == '\0' && std::isfinite(v);
}

// A word that starts with '-' but is a value: a negative number.
bool is_option_word(const std::string& word) { return word.size() >= 2 && word[0] == '-' && !is_number(word, false); }

// Numbers are checked here, in npusim's words; other values (choices, paths) by their validators.
std::string check_value(const CLI::Option& option, const std::string& value) {
    const std::string type = option.get_type_name().substr(0, option.get_type_name().find(':'));
    if ((type == "INT" || type == "UINT") && !is_number(value, true))
        return fmt::format("expected an integer, got '{}'", value);
    if (type == "UINT" && value[0] == '-') return fmt::format("expected an integer >= 0, got '{}'", value);
    if (type == "FLOAT" && !is_number(value, false)) return fmt::format("expected a number, got '{}'", value);
    return "";
}

std::string check_command_arguments(CLI::App& command, int first, int argc, const char* const argv[]) {
    const std::string name = command.get_name();
    const bool takes_positionals =
        !command.get_options([](const CLI::Option* o) { return o->get_positional(); }).empty();
    std::map<const CLI::Option*, int> seen;
    for (int i = first; i < argc; ++i) {
        const std::string word = argv[i];
        if (word == "--") break;  // the rest are positional, as for CLI11
        if (!is_option_word(word)) {
            if (!takes_positionals) return fmt::format("{}: unexpected argument '{}'", name, word);
            continue;
        }
        const size_t equals = word.find('=');
        const std::string flag = word.substr(0, equals);
        const CLI::Option* option = command.get_option_no_throw(flag);
        if (option == nullptr)
            return with_hint(fmt::format("{}: unknown option '{}'", name, flag), flag, option_names(command));
        const bool repeatable = option->get_items_expected_max() > 1;
        if (++seen[option] > 1 && !repeatable) return fmt::format("{}: {} given twice", name, flag);
        if (option->get_expected_max() == 0) continue;  // a flag (CLI11 takes --flag=false too)
        std::vector<std::string> values;
        if (equals != std::string::npos) values.push_back(word.substr(equals + 1));
        // A repeatable option takes every value up to the next option, as CLI11 does.
        while ((values.empty() || repeatable) && equals == std::string::npos && i + 1 < argc &&
               !is_option_word(argv[i + 1]))
            values.push_back(argv[++i]);
        if (values.empty()) return fmt::format("{}: {} needs a value", name, flag);
        for (const std::string& v : values)
            if (std::string problem = check_value(*option, v); !problem.empty())
                return fmt::format("{}: {}: {}", name, flag, problem);
    }
    return "";
}

}  // namespace

std::string check_arguments(CLI::App& app, int argc, const char* const argv[]) {
    int i = 1;
    for (; i < argc && is_option_word(argv[i]); ++i)  // npusim's own options: --help, --version
        if (app.get_option_no_throw(std::string(argv[i]).substr(0, std::string(argv[i]).find('='))) == nullptr)
            return with_hint(fmt::format("unknown option '{}'", argv[i]), argv[i], option_names(app));
    if (i == argc) return "";
    std::vector<std::string> names;
    for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
        if (command->get_name() == argv[i]) return check_command_arguments(*command, i + 1, argc, argv);
        names.push_back(command->get_name());
    }
    return with_hint(fmt::format("unknown command '{}' (commands: {})", argv[i], fmt::join(names, ", ")), argv[i],
                     names);
}

std::string parse_error_message(const CLI::ParseError& e) {
    // CLI11's wording for an unconvertible value, should one reach it past check_arguments.
    const std::string what = e.what();
    if (dynamic_cast<const CLI::ConversionError*>(&e) != nullptr) return "bad value: " + what;
    return what;
}

}  // namespace npu::cli

#pragma once
// "Did you mean": the closest of a few known words to a misspelt one (YAML keys, command-line
// options and subcommands).
#include <string>
#include <vector>

namespace npu {

// Levenshtein distance: insertions, deletions and substitutions, one each.
size_t edit_distance(const std::string& a, const std::string& b);

// The candidate nearest to `word` if it is a likely typo of it: at most 2 edits (1 for words of
// up to 4 letters), or `word` a prefix of exactly one candidate; "" otherwise.
std::string closest_spelling(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace npu

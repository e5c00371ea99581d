#include "common/spelling.h"

#include <algorithm>

namespace npu {

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string closest_spelling(const std::string& word, const std::vector<std::string>& candidates) {
    const size_t allowed = word.size() <= 4 ? 1 : 2;
    std::string best;
    size_t best_distance = allowed + 1;
    for (const std::string& c : candidates) {
        const size_t d = edit_distance(word, c);
        if (d < best_distance) best = c, best_distance = d;
    }
    if (!best.empty()) return best;
    std::string prefixed;
    for (const std::string& c : candidates)
        if (!word.empty() && c.compare(0, word.size(), word) == 0) {
            if (!prefixed.empty()) return "";  // ambiguous: say nothing rather than guess
            prefixed = c;
        }
    return prefixed;
}

}  // namespace npu

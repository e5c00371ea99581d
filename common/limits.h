#pragma once
// Limits on hostile input: a design or model that would need absurd memory or time is refused
// before anything is allocated, with a message naming the limit and how to raise it
// (`--limit NAME=VALUE` on the command line; README "Limits"). The defaults are far above every
// shipped design and model. A Limits object is passed to every loader and to the compiler: the
// command line owns one, tests and tools make their own; there is no process-wide setting.
#include <cstdint>
#include <string>
#include <vector>

namespace npu {

struct Limits {
    int64_t tensor_elements = int64_t(1) << 28;  // one tensor: activations, weights, a data set
    int64_t model_elements = int64_t(1) << 31;   // every activation and weight of a model together
    int64_t array_pes = int64_t(1) << 24;        // rows x cols (4096 x 4096)
    int64_t sram_mib = 1024;                     // all on-chip buffers of a design together
    int64_t instructions = 4'000'000;            // one compiled NPU program (~600 B each)
    // Set by runs that allocate no activations (timing-only): tensor_elements and model_elements
    // then count one image's activations, since the batch only lengthens the program (which
    // `instructions` bounds); weights count as always.
    bool per_image_activations = false;

    // "name=value" from the command line; throws UsageError naming the option on a bad name or
    // value.
    void set(const std::string& assignment);
    // "(limit tensor_elements = 268435456; raise with --limit tensor_elements=N)"
    std::string hint(const std::string& name) const;
    // Names, defaults and meanings, for --help and the README.
    static std::vector<std::string> describe();
    // No practical limit (2^62): for graphs derived from one already checked (folding only shrinks
    // them).
    static Limits none();
};

// a * b, or INT64_MAX when the true product does not fit (operands >= 0): sizes computed from
// untrusted dimensions are compared with a limit, never allowed to wrap.
int64_t saturating_mul(int64_t a, int64_t b);
int64_t saturating_product(std::initializer_list<int64_t> factors);
// A count for messages: the number, or "over 2^63" for a saturated one.
std::string count_text(int64_t count);

// Files store integers below 2^31 in magnitude: sums and pairwise products of any two stay
// exact in int64, so loaders can do arithmetic on them before the limits above apply.
constexpr int64_t kMaxFileInteger = (int64_t(1) << 31) - 1;

}  // namespace npu

#include "kernels/model/tensor_check.h"

#include <algorithm>
#include <cmath>

#include "kernels/numerics/check_rule.h"

namespace npu {

TensorCheck check_tensor(const HostTensor& got, const HostTensor& want, Precision precision) {
    TensorCheck c;
    double diff2 = 0.0, ref2 = 0.0;
    const std::vector<float> got_values = got.values(), want_values = want.values();  // decoded once
    for (const float w : want_values) ref2 += double(w) * w;
    const float rms = float(std::sqrt(ref2 / double(std::max<int64_t>(1, want.elements()))));
    const bool exact = precision == Precision::Int8;
    for (size_t k = 0; k < got_values.size(); ++k) {
        const float a = got_values[k], b = want_values[k];
        const bool same = exact ? a == b : float_close(a, b, precision, rms);
        c.mismatches += same ? 0 : 1;
        c.max_abs_error = std::max(c.max_abs_error, double(std::fabs(a - b)));
        diff2 += double(a - b) * double(a - b);
    }
    c.relative_error = ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
    return c;
}

}  // namespace npu

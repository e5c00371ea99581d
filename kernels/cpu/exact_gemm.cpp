#include "kernels/cpu/exact_gemm.h"

#include <dlfcn.h>

#include <Eigen/Core>
#include <algorithm>
#include <limits>
#include <stdexcept>

namespace npu {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;

// The CBLAS ABI of a 32-bit-index build (libopenblas0, not libopenblas64), declared here so that
// building needs no BLAS headers.
enum : int { kCblasRowMajor = 101, kCblasNoTrans = 111 };
using SgemmFn = void (*)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                         const float* b, int ldb, float beta, float* c, int ldc);

struct OpenBlas {
    SgemmFn sgemm = nullptr;
    std::string config;
};

// The serial build first (it never starts threads); a threaded one as Debian's alternatives
// select it is held to one thread, as the figures in the README are.
OpenBlas load_openblas() {
    OpenBlas blas;
    for (const char* soname : {"/usr/lib/x86_64-linux-gnu/openblas-serial/libopenblas.so.0", "libopenblas.so.0"}) {
        void* library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
        if (!library) continue;
        blas.sgemm = reinterpret_cast<SgemmFn>(dlsym(library, "cblas_sgemm"));
        if (!blas.sgemm) continue;
        if (auto set_threads = reinterpret_cast<void (*)(int)>(dlsym(library, "openblas_set_num_threads")))
            set_threads(1);
        auto get_config = reinterpret_cast<const char* (*)()>(dlsym(library, "openblas_get_config"));
        blas.config = get_config ? get_config() : "OpenBLAS";
        break;
    }
    return blas;
}

const OpenBlas& openblas() {
    static const OpenBlas blas = load_openblas();
    return blas;
}

void float_gemm(const float* a, int64_t lda, const float* b, float* c, int64_t m, int64_t k, int64_t n,
                bool use_openblas) {
    if (use_openblas) {
        openblas().sgemm(kCblasRowMajor, kCblasNoTrans, kCblasNoTrans, int(m), int(n), int(k), 1.0f, a, int(lda), b,
                         int(n), 0.0f, c, int(n));
        return;
    }
    Eigen::Map<RowMatrix>(c, m, n).noalias() =
        ConstMap(a, m, k, Eigen::OuterStride<>(lda)) * Eigen::Map<const RowMatrix>(b, k, n);
}

}  // namespace

bool openblas_available() { return openblas().sgemm != nullptr; }

std::string reference_gemm_library() { return openblas_available() ? openblas().config : "Eigen"; }

void exact_integer_gemm(const float* a, const float* b, int32_t* c, int64_t m, int64_t k, int64_t n,
                        GemmLibrary library) {
    if (library == GemmLibrary::OpenBlas && !openblas_available())
        throw std::runtime_error("OpenBLAS (libopenblas.so.0) is not installed");
    if (std::max({m, k, n}) > std::numeric_limits<int>::max())
        throw std::runtime_error("exact_integer_gemm: a dimension exceeds 2^31 - 1");
    if (m == 0 || n == 0) return;
    Eigen::Map<Eigen::Matrix<int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> sum(c, m, n);
    if (k == 0) {  // no products (and no maximum to take of an empty operand)
        sum.setZero();
        return;
    }
    const bool use_openblas = library != GemmLibrary::Eigen && openblas_available();
    const double bound = double(Eigen::Map<const RowMatrix>(a, m, k).cwiseAbs().maxCoeff()) *
                         double(Eigen::Map<const RowMatrix>(b, k, n).cwiseAbs().maxCoeff());
    const int64_t chunk = bound > 0 ? std::max<int64_t>(1, int64_t(double(1 << 24) / bound)) : k;
    RowMatrix part(m, n);
    for (int64_t k0 = 0; k0 < k; k0 += chunk) {
        const int64_t kc = std::min(chunk, k - k0);
        float_gemm(a + k0, k, b + k0 * n, part.data(), m, kc, n, use_openblas);
        if (k0 == 0)
            sum = part.cast<int32_t>();
        else
            sum += part.cast<int32_t>();
    }
}

}  // namespace npu

#include <cuda_runtime.h>

#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/gpu_launch.cuh"
#include "kernels/cuda/gpu_ops.h"
#include "kernels/cuda/vector_ops.h"
#include "kernels/numerics/vector_math.h"

namespace npu {
namespace {

constexpr int kThreads = 256;

unsigned blocks(int64_t n) { return unsigned((n + kThreads - 1) / kThreads); }

DeviceBuffer upload(const HostTensor& t) { return to_device(t.bytes); }

HostTensor finish(const DeviceBuffer& d, Shape shape, Precision p, const char* what) {
    cuda_check(cudaGetLastError(), what);
    cuda_check(cudaDeviceSynchronize(), what);
    HostTensor out = HostTensor::zeros(shape, p);
    d.download(out.bytes.data(), out.bytes.size());
    return out;
}

// One thread per element: body(i).
template <class Body>
__global__ void each_element(int64_t n, Body body) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < n) body(i);
}

template <class Body>
void for_each(int64_t n, Body body) {
    if (n > 0) each_element<<<blocks(n), kThreads>>>(n, body);
}

}  // namespace

HostTensor gpu_max_pool(const HostTensor& in, const Shape& out_shape, const Window2d& w) {
    const DeviceBuffer x = upload(in);
    DeviceBuffer y(size_t(out_shape.elements()) * element_bytes(in.precision));
    const PoolGeometry g = pool_geometry(in.shape, out_shape, w, false);
    const Precision p = in.precision;
    const void* src = x.get();
    void* dst = y.get();
    for_each(out_shape.elements(), [=] __device__(int64_t o) { max_pool_element(g, p, src, dst, o); });
    return finish(y, out_shape, p, "the max pool kernel");
}

HostTensor gpu_avg_pool(const HostTensor& in, const Shape& out_shape, const Window2d& w, bool count_include_pad) {
    const DeviceBuffer x = upload(in);
    DeviceBuffer y(size_t(out_shape.elements()) * element_bytes(in.precision));
    std::vector<QuantMultiplier> by_count(size_t(w.kernel_h * w.kernel_w + 1));
    for (size_t count = 1; count < by_count.size(); ++count) by_count[count] = average_multiplier(int64_t(count));
    const DeviceBuffer m = to_device(by_count);
    const PoolGeometry g = pool_geometry(in.shape, out_shape, w, count_include_pad);
    const Precision p = in.precision;
    const void* src = x.get();
    void* dst = y.get();
    const QuantMultiplier* table = m.as<QuantMultiplier>();
    for_each(out_shape.elements(), [=] __device__(int64_t o) { avg_pool_element(g, p, src, dst, o, table); });
    return finish(y, out_shape, p, "the average pool kernel");
}

HostTensor gpu_global_avg_pool(const HostTensor& in) {
    Window2d w;
    w.kernel_h = w.stride_h = in.shape.h;
    w.kernel_w = w.stride_w = in.shape.w;
    return gpu_avg_pool(in, Shape{in.shape.n, in.shape.c, 1, 1}, w, true);
}

HostTensor gpu_add(const HostTensor& a, const HostTensor& b, AddRescale r, Int8Clamp clamp, Activation act) {
    const DeviceBuffer da = upload(a), db = upload(b);
    DeviceBuffer y(a.bytes.size());
    const Precision p = a.precision;
    const void *pa = da.get(), *pb = db.get();
    void* dst = y.get();
    for_each(a.elements(), [=] __device__(int64_t i) { add_element(p, pa, pb, dst, i, r, clamp, act); });
    return finish(y, a.shape, p, "the add kernel");
}

HostTensor gpu_clamp(const HostTensor& in, Int8Clamp int8_bounds, float min, float max) {
    const DeviceBuffer x = upload(in);
    DeviceBuffer y(in.bytes.size());
    const Precision p = in.precision;
    const void* src = x.get();
    void* dst = y.get();
    for_each(in.elements(), [=] __device__(int64_t i) { clamp_element(p, src, dst, i, int8_bounds, min, max); });
    return finish(y, in.shape, p, "the clamp kernel");
}

HostTensor gpu_unary(const HostTensor& in, const UnaryAttrs& attrs, const std::vector<int8_t>& table) {
    const DeviceBuffer x = upload(in);
    const DeviceBuffer t = to_device(table.empty() ? std::vector<int8_t>(kUnaryTableSize, 0) : table);
    DeviceBuffer y(in.bytes.size());
    const Precision p = in.precision;
    const void* src = x.get();
    void* dst = y.get();
    const int8_t* lookup = t.as<int8_t>();
    for_each(in.elements(), [=] __device__(int64_t i) { unary_element(p, src, dst, i, attrs, lookup); });
    return finish(y, in.shape, p, "the unary kernel");
}

HostTensor gpu_multiply(const HostTensor& a, const HostTensor& b, QuantMultiplier m) {
    const DeviceBuffer da = upload(a), db = upload(b);
    DeviceBuffer y(a.bytes.size());
    const Precision p = a.precision;
    const int64_t pixels = b.elements() != a.elements() ? a.shape.h * a.shape.w : 0;
    const void *pa = da.get(), *pb = db.get();
    void* dst = y.get();
    for_each(a.elements(), [=] __device__(int64_t i) { mul_element(p, pa, pb, dst, i, pixels, m); });
    return finish(y, a.shape, p, "the multiply kernel");
}

HostTensor gpu_softmax(const HostTensor& in, const SoftmaxAttrs& attrs, float int8_scale) {
    const DeviceBuffer x = upload(in);
    DeviceBuffer y(in.bytes.size());
    const AxisView v = axis_view(in.shape, attrs.axis, attrs.flatten);
    const Precision p = in.precision;
    const void* src = x.get();
    void* dst = y.get();
    for_each(v.outer * v.inner, [=] __device__(int64_t row) {
        const int64_t o = row / v.inner, i = row % v.inner;
        softmax_row(p, src, dst, o * v.length * v.inner + i, v.length, v.inner, int8_scale);
    });
    return finish(y, in.shape, p, "the softmax kernel");
}

HostTensor gpu_layer_norm(const HostTensor& in, float epsilon, float in_scale, float out_scale,
                          const std::vector<float>& gamma, const std::vector<float>& beta) {
    const DeviceBuffer x = upload(in), dg = to_device(gamma), db = to_device(beta);
    DeviceBuffer y(in.bytes.size());
    const Precision p = in.precision;
    const int64_t pixels = in.shape.h * in.shape.w, channels = in.shape.c;
    const LayerNormRow r{epsilon, in_scale, out_scale, dg.as<float>(), db.as<float>()};
    const void* src = x.get();
    void* dst = y.get();
    for_each(in.shape.n * pixels, [=] __device__(int64_t row) {
        layer_norm_pixel(p, src, dst, (row / pixels) * channels * pixels + row % pixels, channels, pixels, r);
    });
    return finish(y, in.shape, p, "the layer norm kernel");
}

HostTensor gpu_channel_affine(const HostTensor& in, const std::vector<float>& scale, const std::vector<float>& shift) {
    const DeviceBuffer x = upload(in), ds = to_device(scale), dt = to_device(shift);
    DeviceBuffer y(in.bytes.size());
    const Precision p = in.precision;
    const int64_t pixels = in.shape.h * in.shape.w, channels = in.shape.c;
    const void* src = x.get();
    void* dst = y.get();
    const float *sc = ds.as<float>(), *sh = dt.as<float>();
    for_each(in.elements(), [=] __device__(int64_t i) { affine_element(p, src, dst, i, pixels, channels, sc, sh); });
    return finish(y, in.shape, p, "the batchnorm kernel");
}

HostTensor gpu_concat(const std::vector<const HostTensor*>& in, const Shape& out_shape, int axis,
                      const std::vector<QuantMultiplier>& rescale) {
    const Precision p = in.front()->precision;
    DeviceBuffer y(size_t(out_shape.elements()) * element_bytes(p));
    const AxisView ov = axis_view(out_shape, axis, false);
    int64_t offset = 0;
    std::vector<DeviceBuffer> parts;  // alive until the kernels have run
    for (size_t k = 0; k < in.size(); ++k) {
        parts.push_back(upload(*in[k]));
        const AxisView v = axis_view(in[k]->shape, axis, false);
        const QuantMultiplier m = p == Precision::Int8 ? rescale[k] : QuantMultiplier{};
        const void* src = parts.back().get();
        void* dst = y.get();
        const int64_t length = v.length, inner = v.inner, out_length = ov.length, at = offset;
        for_each(in[k]->elements(), [=] __device__(int64_t e) {
            concat_element(p, src, dst, e, concat_destination(e, length, inner, out_length, at), m);
        });
        offset += v.length;
    }
    return finish(y, out_shape, p, "the concat kernel");
}

HostTensor gpu_slice(const HostTensor& in, const Shape& out_shape, const SliceAttrs& slice) {
    const DeviceBuffer x = upload(in);
    const Precision p = in.precision;
    DeviceBuffer y(size_t(out_shape.elements()) * element_bytes(p));
    const AxisView v = axis_view(in.shape, slice.axis, false);
    const int64_t out_length = slice.end - slice.begin, begin = slice.begin, in_length = v.length, inner = v.inner;
    const void* src = x.get();
    void* dst = y.get();
    for_each(out_shape.elements(), [=] __device__(int64_t o) {
        move_element(p, src, dst, slice_source(o, out_length, inner, in_length, begin), o);
    });
    return finish(y, out_shape, p, "the slice kernel");
}

HostTensor gpu_channel_shuffle(const HostTensor& in, int64_t groups) {
    const DeviceBuffer x = upload(in);
    const Precision p = in.precision;
    DeviceBuffer y(in.bytes.size());
    const int64_t channels = in.shape.c, plane = in.shape.h * in.shape.w;
    const void* src = x.get();
    void* dst = y.get();
    for_each(in.elements(),
             [=] __device__(int64_t o) { move_element(p, src, dst, shuffle_source(o, channels, plane, groups), o); });
    return finish(y, in.shape, p, "the channel shuffle kernel");
}

}  // namespace npu

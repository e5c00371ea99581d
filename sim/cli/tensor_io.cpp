#include "sim/cli/tensor_io.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "common/error.h"
#include "common/file_text.h"
#include "sim/cli/commands.h"
#include "workloads/data/idx_reader.h"
#include "workloads/data/image_file.h"
#include "workloads/data/npy_file.h"

namespace npu::cli {
namespace {

namespace fs = std::filesystem;

std::vector<float> float_list(const std::string& text, const char* option) {
    std::vector<float> values;
    size_t at = 0;
    while (at <= text.size()) {
        const size_t comma = std::min(text.find(',', at), text.size());
        const std::string item = text.substr(at, comma - at);
        try {
            size_t used = 0;
            values.push_back(std::stof(item, &used));
            if (used != item.size()) throw std::invalid_argument(item);
        } catch (const std::exception&) {
            throw UsageError(fmt::format("{}: expected numbers separated by commas, got '{}'", option, text));
        }
        at = comma + 1;
    }
    return values;
}

InputNormalization normalization(const TensorIoArgs& a) {
    InputNormalization n;
    if (!a.input_mean.empty()) n.mean = float_list(a.input_mean, "--input-mean");
    if (!a.input_std.empty()) n.std = float_list(a.input_std, "--input-std");
    return n;
}

// A .npy of N x C x H x W, or one image (C x H x W, or H x W for one channel) for every image.
std::vector<float> npy_input(const std::string& path, const Shape& in, const Limits& limits) {
    NpyArray a = read_npy_file(path, limits);
    const std::vector<std::vector<int64_t>> accepted{
        {in.n, in.c, in.h, in.w}, {1, in.c, in.h, in.w}, {in.c, in.h, in.w}, {in.h, in.w}};
    for (size_t k = 0; k < accepted.size(); ++k)
        if (a.shape == accepted[k] && (k != 3 || in.c == 1)) return std::move(a.values);
    std::vector<std::string> dims;
    for (int64_t d : a.shape) dims.push_back(std::to_string(d));
    throw WorkloadError(
        fmt::format("--input {}: shape ({}) does not fit the model's input {} (N x C x H x W, or "
                    "one image C x H x W)",
                    path, fmt::join(dims, ", "), in.str()));
}

// Image `index` of an IDX file (N x H x W, or N x C x H x W), bytes scaled to [0, 1], normalized,
// centred in the model's input as --dataset does with images smaller than it.
std::vector<float> idx_input(const TensorIoArgs& a, const Shape& in, const Limits& limits) {
    const IdxArray idx = read_idx_file(a.input, limits);
    const size_t rank = idx.dims.size();
    if (rank != 3 && rank != 4)
        throw WorkloadError(
            fmt::format("--input {}: an IDX file of rank {} (images: N x H x W or N x C x H x W)", a.input, rank));
    const int64_t c = rank == 4 ? idx.dims[1] : 1, h = idx.dims[rank - 2], w = idx.dims[rank - 1];
    if (a.input_index < 0 || a.input_index >= idx.dims[0])
        throw UsageError(fmt::format("--input-index: {} is not in [0, {}) of {}", a.input_index, idx.dims[0], a.input));
    if (c != in.c || h > in.h || w > in.w)
        throw WorkloadError(
            fmt::format("--input {}: {}x{}x{} images do not fit the model's input {}", a.input, c, h, w, in.str()));
    const InputNormalization n = normalization(a);
    const float scale = idx.type == IdxType::U8 ? 1.0f / 255.0f : 1.0f;
    std::vector<float> out(size_t(in.per_image()), 0.0f);
    const int64_t top = (in.h - h) / 2, left = (in.w - w) / 2;
    for (int64_t ch = 0; ch < c; ++ch) {
        const float mean = n.mean.size() == 1 ? n.mean[0] : n.mean.at(size_t(ch));
        const float std = n.std.size() == 1 ? n.std[0] : n.std.at(size_t(ch));
        for (int64_t y = 0; y < h; ++y)
            for (int64_t x = 0; x < w; ++x) {
                const size_t from = size_t(((a.input_index * c + ch) * h + y) * w + x);
                out[size_t((ch * in.h + top + y) * in.w + left + x)] = (float(idx.value(from)) * scale - mean) / std;
            }
    }
    return out;
}

std::vector<float> input_values(const TensorIoArgs& a, const Shape& in, const Limits& limits) {
    std::string ext = fs::path(a.input).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    if (ext == ".npy") return npy_input(a.input, in, limits);
    if (ext == ".png" || ext == ".pgm" || ext == ".ppm" || ext == ".pnm")
        return to_network_input(read_image_file(a.input, limits), in.c, in.h, in.w, normalization(a));
    return idx_input(a, in, limits);  // anything else must be an IDX file (its reader says if not)
}

// Real values (INT8: q * out_scale; an imported ConvInteger's raw int32 sums as they are).
std::vector<float> real_values(const HostTensor& t, const QuantLayer& params, Precision precision) {
    std::vector<float> v(size_t(t.elements()));
    const float scale = precision == Precision::Int8 && !t.int32 ? params.out_scale : 1.0f;
    for (size_t i = 0; i < v.size(); ++i) v[i] = t.value(int64_t(i)) * scale;
    return v;
}

// N x C, for a vector per image (fc and softmax outputs, as the frameworks give them), else NCHW.
std::vector<int64_t> npy_shape(const Shape& s) {
    if (s.h == 1 && s.w == 1) return {s.n, s.c};
    return {s.n, s.c, s.h, s.w};
}

std::vector<std::string> read_labels(const std::string& path, int64_t classes) {
    std::ifstream in(path);
    if (!in) throw WorkloadError(fmt::format("--labels {}: cannot open file", path));
    std::vector<std::string> labels;
    for (std::string line; std::getline(in, line);) labels.push_back(line);
    if (int64_t(labels.size()) < classes)
        throw WorkloadError(
            fmt::format("--labels {}: {} lines for {} classes (one name per line)", path, labels.size(), classes));
    return labels;
}

void print_top_k(const TensorIoArgs& a, const std::vector<float>& scores, const Shape& s, std::ostream& text) {
    const int64_t classes = s.per_image();
    const std::vector<std::string> labels =
        a.labels.empty() ? std::vector<std::string>{} : read_labels(a.labels, classes);
    const int64_t k = std::min(a.top_k, classes);
    for (int64_t image = 0; image < s.n; ++image) {
        std::vector<int64_t> order(static_cast<size_t>(classes));
        std::iota(order.begin(), order.end(), 0);
        const float* row = scores.data() + image * classes;
        // Ties go to the lower class index, as numpy's argsort(-x, kind="stable") orders them.
        std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return row[x] > row[y]; });
        text << fmt::format("top-{} of image {}:", k, image);
        for (int64_t r = 0; r < k; ++r) {
            const int64_t c = order[size_t(r)];
            text << fmt::format(" {}{} ({:.4g})", c, labels.empty() ? "" : " " + labels[size_t(c)], row[c]);
            text << (r + 1 < k ? "," : "\n");
        }
    }
}

std::string file_name_of(int index, const std::string& layer) {
    std::string name = layer;
    for (char& ch : name)
        if (!std::isalnum(uint8_t(ch)) && ch != '_' && ch != '-' && ch != '.') ch = '_';
    return fmt::format("{:03d}_{}.npy", index, name);
}

}  // namespace

void add_tensor_io_options(CLI::App& app, TensorIoArgs& a) {
    app.add_option("--input", a.input,
                   "The input: a .npy of the input's shape, a .png/.pgm/.ppm image (resized, normalized by "
                   "--input-mean/--input-std) or an IDX file (--input-index)");
    app.add_option("--input-index", a.input_index, "--input IDX file: which image (default 0)");
    app.add_option("--input-mean", a.input_mean, "Images: per-channel mean subtracted from pixels in [0, 1]");
    app.add_option("--input-std", a.input_std, "Images: per-channel divisor after the mean");
    app.add_option("--output", a.output, "Write the final tensor as .npy (float32, real values)");
    app.add_option("--dump-layers", a.dump_layers, "Write every layer's output as DIR/NNN_<layer>.npy");
    app.add_option("--top-k", a.top_k, "Print the K highest scores of the final tensor per image");
    app.add_option("--labels", a.labels, "--top-k: class names, one per line");
}

void check_tensor_io_args(const TensorIoArgs& a, bool functional) {
    if (a.top_k < 0) throw UsageError(fmt::format("--top-k: must be >= 1, got {}", a.top_k));
    if (!a.labels.empty() && a.top_k == 0) throw UsageError("--labels: only with --top-k");
    if (a.input.empty() && (a.input_index != 0 || !a.input_mean.empty() || !a.input_std.empty()))
        throw UsageError("--input-index, --input-mean and --input-std: only with --input");
    if (a.any() && !functional)
        throw UsageError(
            fmt::format("{}: needs a functional run (values), not --timing-only or --timing-model scalesim",
                        !a.input.empty()         ? "--input"
                        : !a.output.empty()      ? "--output"
                        : !a.dump_layers.empty() ? "--dump-layers"
                                                 : "--top-k"));
    // Files the run reads or folders it writes, checked before it runs.
    if (!a.dump_layers.empty()) check_output_folder("--dump-layers", a.dump_layers);
    if (!a.labels.empty() && !std::ifstream(a.labels))
        throw WorkloadError(fmt::format("--labels {}: cannot open file", a.labels));
}

void apply_input(const TensorIoArgs& a, Graph& graph, const Limits& limits) {
    if (a.input.empty()) return;
    Layer& in = graph.layers[size_t(graph.input_indices().front())];
    in.input_data = input_values(a, in.output, limits);
}

std::string report_tensor_outputs(const TensorIoArgs& a, const Simulation& sim, const PreparedWorkload& w,
                                  std::ostream& text) {
    const Graph& g = w.model.graph;
    const int last = int(g.layers.size()) - 1;
    const auto values_of = [&](int layer) {
        return real_values(sim.layer_output(g, layer), w.model.layers[size_t(layer)], w.model.precision);
    };
    if (!a.output.empty() || a.top_k > 0) {
        const std::vector<float> out = values_of(last);
        if (!a.output.empty())
            if (std::string e = try_write_file(a.output, npy_bytes(npy_shape(g.layers[size_t(last)].output), out));
                !e.empty())
                return e;
        if (a.top_k > 0) print_top_k(a, out, g.layers[size_t(last)].output, text);
    }
    if (a.dump_layers.empty()) return "";
    int written = 0;
    for (int i = 0; i <= last; ++i) {
        // A conv fused with the add or pool after it never stores its output.
        if (sim.last_compiled().fusion.fused_conv(i)) continue;
        const Shape s = g.layers[size_t(i)].output;
        const std::string path = (fs::path(a.dump_layers) / file_name_of(i, g.layers[size_t(i)].name)).string();
        if (std::string e = try_write_file(path, npy_bytes({s.n, s.c, s.h, s.w}, values_of(i))); !e.empty()) return e;
        ++written;
    }
    text << fmt::format("dumped {} layer outputs to {} ({} fused convs store none)\n", written, a.dump_layers,
                        last + 1 - written);
    return "";
}

}  // namespace npu::cli

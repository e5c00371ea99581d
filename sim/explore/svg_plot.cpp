#include "sim/explore/svg_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace npu {
std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '&')
            out += "&amp;";
        else
            out += c;
    }
    return out;
}

namespace {

constexpr double kWidth = 640, kHeight = 400, kLeft = 70, kRight = 110, kTop = 36, kBottom = 64;

std::string escape(const std::string& s) { return html_escape(s); }

// A colour along a blue-green-yellow scale (viridis-like) for t in [0, 1].
std::string color(double t) {
    t = std::clamp(t, 0.0, 1.0);
    const double stops[4][3] = {{68, 1, 84}, {49, 104, 142}, {53, 183, 121}, {253, 231, 37}};
    const double x = t * 3.0;
    const int i = std::min(2, int(x));
    const double f = x - i;
    int rgb[3];
    for (int k = 0; k < 3; ++k) rgb[k] = int(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f);
    return fmt::format("rgb({},{},{})", rgb[0], rgb[1], rgb[2]);
}

struct Axis {
    double lo, hi;
    bool log;
    double pixels_from, pixels_to;
    double map(double v) const {
        const double a = log ? std::log10(lo) : lo, b = log ? std::log10(hi) : hi;
        const double x = log ? std::log10(std::max(v, 1e-300)) : v;
        return pixels_from + (x - a) / (b - a) * (pixels_to - pixels_from);
    }
    std::vector<double> ticks() const {
        std::vector<double> t;
        if (log) {
            // 1, 2 and 5 times each power of ten; only the powers when the range spans many.
            const bool dense = std::log10(hi / lo) < 3;
            for (double d = std::pow(10.0, std::floor(std::log10(lo))); d <= hi * 1.0001; d *= 10)
                for (double m : dense ? std::vector<double>{1, 2, 5} : std::vector<double>{1})
                    if (d * m >= lo * 0.9999 && d * m <= hi * 1.0001) t.push_back(d * m);
            if (t.size() < 2) t = {lo, hi};
        } else {
            for (int i = 0; i <= 4; ++i) t.push_back(lo + (hi - lo) * i / 4.0);
        }
        return t;
    }
};

Axis make_axis(std::vector<double> values, bool log, double from, double to) {
    if (log)
        values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !(v > 0); }), values.end());
    double lo = values.empty() ? 1 : *std::min_element(values.begin(), values.end());
    double hi = values.empty() ? 10 : *std::max_element(values.begin(), values.end());
    if (log) {
        lo /= 1.5;
        hi *= 1.5;
    } else {
        const double pad = (hi - lo) * 0.05 + (hi == lo ? std::abs(hi) * 0.1 + 1 : 0);
        lo = std::min(0.0, lo - pad);
        hi += pad;
    }
    return Axis{lo, hi, log, from, to};
}

std::string number(double v) {
    return std::abs(v) >= 1e4 || (std::abs(v) < 1e-2 && v != 0) ? fmt::format("{:.1e}", v) : fmt::format("{:.3g}", v);
}

std::string frame(const Axis& x, const Axis& y, const std::string& title, const std::string& xl, const std::string& yl,
                  bool x_ticks = true) {
    std::string s = fmt::format(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-family='sans-serif' "
        "font-size='12'>\n<text x='{}' y='20' font-size='14' font-weight='bold'>{}</text>\n",
        kWidth, kHeight, kLeft, escape(title));
    s += fmt::format("<rect x='{}' y='{}' width='{}' height='{}' fill='none' stroke='#888'/>\n", kLeft, kTop,
                     kWidth - kLeft - kRight, kHeight - kTop - kBottom);
    if (x_ticks)
        for (double t : x.ticks())
            s += fmt::format("<text x='{:.1f}' y='{}' text-anchor='middle'>{}</text>\n", x.map(t),
                             kHeight - kBottom + 16, number(t));
    for (double t : y.ticks())
        s += fmt::format("<text x='{}' y='{:.1f}' text-anchor='end'>{}</text>\n", kLeft - 6, y.map(t) + 4, number(t));
    s += fmt::format("<text x='{}' y='{}' text-anchor='middle'>{}</text>\n", (kLeft + kWidth - kRight) / 2,
                     kHeight - 12, escape(xl));
    s += fmt::format("<text x='14' y='{}' text-anchor='middle' transform='rotate(-90 14 {})'>{}</text>\n",
                     (kTop + kHeight - kBottom) / 2, (kTop + kHeight - kBottom) / 2, escape(yl));
    return s;
}

}  // namespace

std::string svg_scatter(const std::vector<ScatterPoint>& points, const ScatterOptions& o) {
    std::vector<double> xs, ys;
    for (const ScatterPoint& p : points) {
        xs.push_back(p.x);
        ys.push_back(p.y);
    }
    for (const auto& [lx, ly] : o.line) {
        xs.push_back(lx);
        ys.push_back(ly);
    }
    const Axis x = make_axis(xs, o.log_x, kLeft, kWidth - kRight);
    const Axis y = make_axis(ys, o.log_y, kHeight - kBottom, kTop);
    std::string s = frame(x, y, o.title, o.x_label, o.y_label);
    auto polyline = [&](const std::vector<std::pair<double, double>>& pts, const char* style) {
        std::string d;
        for (const auto& [px, py] : pts) d += fmt::format("{:.1f},{:.1f} ", x.map(px), y.map(py));
        s += fmt::format("<polyline points='{}' fill='none' {}/>\n", d, style);
    };
    if (!o.line.empty()) polyline(o.line, "stroke='#c33' stroke-width='2'");
    if (o.connect_highlighted) {
        std::vector<std::pair<double, double>> front;
        for (const ScatterPoint& p : points)
            if (p.highlight) front.emplace_back(p.x, p.y);
        std::sort(front.begin(), front.end());
        polyline(front, "stroke='#333' stroke-dasharray='4 3'");
    }
    for (const ScatterPoint& p : points)
        s += fmt::format("<circle cx='{:.1f}' cy='{:.1f}' r='{}' fill='{}' stroke='{}'><title>{}</title></circle>\n",
                         x.map(p.x), y.map(p.y), p.highlight ? 6 : 4, color(p.color), p.highlight ? "#000" : "none",
                         escape(p.tooltip));
    if (!o.color_label.empty()) {  // the colour scale
        const double bx = kWidth - kRight + 20, h = kHeight - kTop - kBottom;
        for (int i = 0; i < 20; ++i)
            s += fmt::format("<rect x='{}' y='{:.1f}' width='14' height='{:.1f}' fill='{}'/>\n", bx,
                             kTop + h * (19 - i) / 20.0, h / 20.0 + 0.5, color(i / 19.0));
        s += fmt::format("<text x='{}' y='{}'>{}</text><text x='{}' y='{}'>{}</text>\n", bx + 18, kTop + 10,
                         number(o.color_max), bx + 18, kTop + h, number(o.color_min));
        s += fmt::format("<text x='{}' y='{}' text-anchor='middle' transform='rotate(90 {} {})'>{}</text>\n", bx + 60,
                         kTop + h / 2, bx + 60, kTop + h / 2, escape(o.color_label));
    }
    return s + "</svg>\n";
}

std::string svg_stacked_bars(const std::vector<std::string>& labels, const std::vector<BarSeries>& series,
                             const std::string& title, const std::string& y_label) {
    double top = 0;
    for (size_t i = 0; i < labels.size(); ++i) {
        double sum = 0;
        for (const BarSeries& b : series) sum += b.values[i];
        top = std::max(top, sum);
    }
    const Axis x{0, double(std::max<size_t>(1, labels.size())), false, kLeft, kWidth - kRight};
    const Axis y{0, top > 0 ? top * 1.05 : 1, false, kHeight - kBottom, kTop};
    std::string s = frame(x, y, title, "", y_label, false);
    const double w = (kWidth - kLeft - kRight) / double(std::max<size_t>(1, labels.size()));
    // Bar labels under the axis, slanted; a few only when the bars are many.
    const size_t step = std::max<size_t>(1, labels.size() / 24);
    for (size_t i = 0; i < labels.size(); i += step) {
        const double cx = kLeft + w * (double(i) + 0.5), cy = kHeight - kBottom + 12;
        s += fmt::format(
            "<text x='{:.1f}' y='{}' font-size='9' text-anchor='end' transform='rotate(-35 {:.1f} {})'>{}</text>\n", cx,
            cy, cx, cy, escape(labels[i].substr(0, 16)));
    }
    for (size_t i = 0; i < labels.size(); ++i) {
        double base = 0;
        for (size_t k = 0; k < series.size(); ++k) {
            const double v = series[k].values[i];
            s += fmt::format(
                "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='{}'><title>{}: {} "
                "{}</title></rect>\n",
                kLeft + w * double(i) + w * 0.1, y.map(base + v), w * 0.8, y.map(base) - y.map(base + v),
                color(series.size() > 1 ? double(k) / double(series.size() - 1) : 0.5), escape(labels[i]),
                escape(series[k].name), number(v));
            base += v;
        }
    }
    for (size_t k = 0; k < series.size(); ++k)
        s += fmt::format("<rect x='{}' y='{}' width='10' height='10' fill='{}'/><text x='{}' y='{}'>{}</text>\n",
                         kWidth - kRight + 8, kTop + 16 * k,
                         color(series.size() > 1 ? double(k) / double(series.size() - 1) : 0.5), kWidth - kRight + 22,
                         kTop + 16 * k + 9, escape(series[k].name));
    return s + "</svg>\n";
}

}  // namespace npu

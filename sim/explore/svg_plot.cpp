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

// The drawing: its size and the plot area's margins, in SVG units (scaled to the page's width).
struct Canvas {
    double width = 960, height = 440, left = 80, right = 150, top = 36, bottom = 64;
    double plot_right() const { return width - right; }
    double plot_bottom() const { return height - bottom; }
};

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

// The round step (1, 2 or 5 x 10^k) that cuts `range` into about `parts` pieces.
double nice_step(double range, int parts) {
    const double raw = range / parts, power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * power >= raw) return m * power;
    return 10 * power;
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
            const double step = nice_step(hi - lo, 5);
            for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
                t.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
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

// Tick and legend numbers: plain up to 10^6 ("20000"), then "2e6"; small ones "5e-4".
std::string number(double v) {
    const double a = std::abs(v);
    if (a >= 1e6 || (a < 1e-3 && v != 0)) {
        const int exponent = int(std::floor(std::log10(a)));
        return fmt::format("{:.3g}e{}", v / std::pow(10.0, exponent), exponent);
    }
    return a >= 1e4 ? fmt::format("{:.0f}", v) : fmt::format("{:.4g}", v);
}

std::string frame(const Canvas& c, const Axis& x, const Axis& y, const std::string& title, const std::string& xl,
                  const std::string& yl, bool x_ticks = true) {
    std::string s = fmt::format(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {} {}' width='100%' style='max-width:{}px' "
        "font-family='sans-serif' font-size='12'>\n<text x='{}' y='20' font-size='14' font-weight='bold'>{}</text>\n",
        c.width, c.height, c.width * 1.4, c.left, escape(title));
    s += fmt::format("<rect x='{}' y='{}' width='{}' height='{}' fill='none' stroke='#888'/>\n", c.left, c.top,
                     c.plot_right() - c.left, c.plot_bottom() - c.top);
    if (x_ticks)
        for (double t : x.ticks())
            s += fmt::format(
                "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='#ddd'/><text x='{0:.1f}' "
                "y='{3}' text-anchor='middle'>{4}</text>\n",
                x.map(t), c.top, c.plot_bottom(), c.plot_bottom() + 16, number(t));
    for (double t : y.ticks())
        s += fmt::format(
            "<line x1='{0}' x2='{1}' y1='{2:.1f}' y2='{2:.1f}' stroke='#ddd'/><text x='{3}' y='{4:.1f}' "
            "text-anchor='end'>{5}</text>\n",
            c.left, c.plot_right(), y.map(t), c.left - 6, y.map(t) + 4, number(t));
    s += fmt::format("<text x='{}' y='{}' text-anchor='middle'>{}</text>\n", (c.left + c.plot_right()) / 2,
                     c.height - 12, escape(xl));
    s += fmt::format("<text x='16' y='{0}' text-anchor='middle' transform='rotate(-90 16 {0})'>{1}</text>\n",
                     (c.top + c.plot_bottom()) / 2, escape(yl));
    return s;
}

// A legend entry in the right margin, `row` lines down: a swatch (a square, or a line style).
std::string legend_entry(const Canvas& c, int row, const std::string& swatch, const std::string& label) {
    const double x = c.plot_right() + 10, y = c.top + 16.0 * row;
    return fmt::format("<g transform='translate({} {})'>{}<text x='22' y='9'>{}</text></g>\n", x, y, swatch,
                       escape(label));
}

std::string colour_scale(const Canvas& c, const ScatterOptions& o, int first_row) {
    const double bx = c.plot_right() + 14, top = c.top + 16.0 * first_row + 14, h = c.plot_bottom() - top;
    std::string s = fmt::format("<text x='{}' y='{}'>{}</text>\n", bx - 4, top - 4, escape("colour: " + o.color_label));
    for (int i = 0; i < 20; ++i)
        s += fmt::format("<rect x='{}' y='{:.1f}' width='14' height='{:.1f}' fill='{}'/>\n", bx,
                         top + h * (19 - i) / 20.0, h / 20.0 + 0.5, color(i / 19.0));
    return s + fmt::format("<text x='{}' y='{}'>{}</text><text x='{}' y='{}'>{}</text>\n", bx + 18, top + 10,
                           number(o.color_max), bx + 18, top + h, number(o.color_min));
}

}  // namespace

std::string svg_scatter(const std::vector<ScatterPoint>& points, const ScatterOptions& o) {
    const Canvas c;
    std::vector<double> xs, ys;
    for (const ScatterPoint& p : points) xs.push_back(p.x), ys.push_back(p.y);
    for (const auto& [lx, ly] : o.line) xs.push_back(lx), ys.push_back(ly);
    const Axis x = make_axis(xs, o.log_x, c.left, c.plot_right());
    const Axis y = make_axis(ys, o.log_y, c.plot_bottom(), c.top);
    std::string s = frame(c, x, y, o.title, o.x_label, o.y_label);
    auto polyline = [&](const std::vector<std::pair<double, double>>& pts, const char* style) {
        std::string d;
        for (const auto& [px, py] : pts) d += fmt::format("{:.1f},{:.1f} ", x.map(px), y.map(py));
        s += fmt::format("<polyline points='{}' fill='none' {}/>\n", d, style);
    };
    const char* line_style = "stroke='#c33' stroke-width='2'";
    const char* front_style = "stroke='#333' stroke-dasharray='4 3'";
    int rows = 0;
    if (!o.line.empty()) {
        polyline(o.line, line_style);
        s += legend_entry(c, rows++, fmt::format("<line x1='0' x2='18' y1='5' y2='5' {}/>", line_style), o.line_label);
    }
    if (o.connect_highlighted) {
        std::vector<std::pair<double, double>> front;
        for (const ScatterPoint& p : points)
            if (p.highlight) front.emplace_back(p.x, p.y);
        std::sort(front.begin(), front.end());
        polyline(front, front_style);
        s += legend_entry(c, rows++,
                          fmt::format("<line x1='0' x2='18' y1='5' y2='5' {}/><circle cx='9' cy='5' r='4' fill='none' "
                                      "stroke='#000'/>",
                                      front_style),
                          o.highlighted_label);
    }
    for (const ScatterPoint& p : points)
        s += fmt::format("<circle cx='{:.1f}' cy='{:.1f}' r='{}' fill='{}' stroke='{}'><title>{}</title></circle>\n",
                         x.map(p.x), y.map(p.y), p.highlight ? 6 : 4, color(p.color), p.highlight ? "#000" : "none",
                         escape(p.tooltip));
    if (!o.color_label.empty()) s += colour_scale(c, o, rows);
    return s + "</svg>\n";
}

std::string svg_stacked_bars(const std::vector<std::string>& labels, const std::vector<BarSeries>& series,
                             const std::string& title, const std::string& y_label) {
    double top = 0;
    size_t longest = 0;
    for (size_t i = 0; i < labels.size(); ++i) {
        double sum = 0;
        for (const BarSeries& b : series) sum += b.values[i];
        top = std::max(top, sum);
        longest = std::max(longest, labels[i].size());
    }
    // Full labels, upright at 60 degrees: the bottom margin grows to hold the longest.
    Canvas c;
    c.bottom = 24 + std::min(260.0, 6.0 * double(longest) * std::sin(M_PI / 3));
    c.height = 340 + c.bottom;
    const Axis x{0, double(std::max<size_t>(1, labels.size())), false, c.left, c.plot_right()};
    const Axis y{0, top > 0 ? top * 1.05 : 1, false, c.plot_bottom(), c.top};
    std::string s = frame(c, x, y, title, "", y_label, false);
    const double w = (c.plot_right() - c.left) / double(std::max<size_t>(1, labels.size()));
    // Labels 13 units apart at least (11 across at 60 degrees), so that neighbours never overlap:
    // every step-th when the bars are narrower (the others in each bar's tooltip).
    const size_t step = size_t(std::ceil(13.0 / w));
    for (size_t i = 0; i < labels.size(); i += std::max<size_t>(1, step)) {
        const double cx = c.left + w * (double(i) + 0.5), cy = c.plot_bottom() + 10;
        s += fmt::format(
            "<text x='{0:.1f}' y='{1}' font-size='10' text-anchor='end' transform='rotate(-60 {0:.1f} "
            "{1})'>{2}</text>\n",
            cx, cy, escape(labels[i]));
    }
    for (size_t i = 0; i < labels.size(); ++i) {
        double base = 0;
        for (size_t k = 0; k < series.size(); ++k) {
            const double v = series[k].values[i];
            s += fmt::format(
                "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='{}'><title>{}: {} "
                "{}</title></rect>\n",
                c.left + w * double(i) + w * 0.1, y.map(base + v), w * 0.8, y.map(base) - y.map(base + v),
                color(series.size() > 1 ? double(k) / double(series.size() - 1) : 0.5), escape(labels[i]),
                escape(series[k].name), number(v));
            base += v;
        }
    }
    for (size_t k = 0; k < series.size(); ++k)
        s += legend_entry(c, int(k),
                          fmt::format("<rect width='14' height='10' fill='{}'/>",
                                      color(series.size() > 1 ? double(k) / double(series.size() - 1) : 0.5)),
                          series[k].name);
    return s + "</svg>\n";
}

}  // namespace npu

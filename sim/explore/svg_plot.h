#pragma once
// Minimal SVG charts for the self-contained reports: scatter plots (linear or log axes) and bar
// charts, each point or bar with a tooltip, ticks at round numbers (1, 2, 5 x 10^k), a legend
// for every colour and line, full labels, scaled to the page's width (viewBox).
#include <string>
#include <vector>

namespace npu {

// Text for HTML and SVG: <, > and & as entities.
std::string html_escape(const std::string& s);

struct ScatterPoint {
    double x = 0.0, y = 0.0;
    double color = 0.0;  // 0..1 along the colour scale
    bool highlight = false;
    std::string tooltip;
};

struct ScatterOptions {
    std::string title, x_label, y_label, color_label;
    bool log_x = false, log_y = false;
    bool connect_highlighted = false;             // draw a line through highlighted points (a front)
    std::string highlighted_label;                // its legend entry ("Pareto front")
    std::vector<std::pair<double, double>> line;  // an extra polyline (a roofline)
    std::string line_label;                       // its legend entry
    double color_min = 0.0, color_max = 1.0;
};

std::string svg_scatter(const std::vector<ScatterPoint>& points, const ScatterOptions& options);

struct BarSeries {
    std::string name;
    std::vector<double> values;  // one per bar
};

// Stacked bars: one bar per label, one segment per series.
std::string svg_stacked_bars(const std::vector<std::string>& labels, const std::vector<BarSeries>& series,
                             const std::string& title, const std::string& y_label);

}  // namespace npu

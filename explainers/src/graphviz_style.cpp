#include "graphviz_style.h"

#include <gnnx/io/significant_digits.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace gnnx::explainers::detail {
namespace {

/// Steps of the colour bar: enough to read as a gradient, few enough for any renderer (HTML
/// table gradients are not drawn by every Graphviz output format).
constexpr int kBarSteps = 12;

std::string escape_html(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string shade(double t) {
  t = std::clamp(t, 0.0, 1.0);
  const int r = static_cast<int>(0xd9 + t * (0x99 - 0xd9));
  const int g = static_cast<int>(0xd9 + t * (0x00 - 0xd9));
  const int b = static_cast<int>(0xd9 + t * (0x0d - 0xd9));
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}

double ImportanceScale::operator()(double w) const {
  return hi > lo ? std::clamp((w - lo) / (hi - lo), 0.0, 1.0) : 0.0;
}

double node_diameter(std::size_t digits) {
  // A digit is 0.56 em wide in Helvetica and DejaVu Sans; 9 points of margin keep the label off
  // the outline. Never smaller than a 2-digit node, so that sizes vary only for long ids.
  const double points = std::max<double>(2, digits) * 0.56 * kLabelFontSize + 9;
  return points / 72.0;
}

std::string legend_label(const std::string& caption, const ImportanceScale& scale, bool with_bar,
                         bool with_truth) {
  const int columns = with_bar ? kBarSteps + 2 : 1;
  std::ostringstream html;
  html << R"(<table border="0" cellborder="0" cellspacing="0" cellpadding="2">)"
       << "<tr><td colspan=\"" << columns << "\">" << escape_html(caption) << "</td></tr>";
  if (with_bar) {
    html << R"(<tr><td align="right">edge importance  )" << io::significant_text(scale.lo, 3)
         << "</td>";
    for (int i = 0; i < kBarSteps; ++i) {
      html << "<td bgcolor=\"" << shade((i + 0.5) / kBarSteps)
           << R"(" width="14" height="12" fixedsize="true"></td>)";
    }
    html << "<td align=\"left\">" << io::significant_text(scale.hi, 3) << "</td></tr>";
  }
  if (with_truth) {
    html << "<tr><td colspan=\"" << columns << "\"><font color=\"" << kTruthColour
         << "\">blue dashed: ground truth</font></td></tr>";
  }
  html << "</table>";
  return html.str();
}

}  // namespace gnnx::explainers::detail

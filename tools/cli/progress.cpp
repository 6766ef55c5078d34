#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <utility>

namespace gnnx::tools {
namespace {

constexpr int kBarWidth = 30;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

}  // namespace

ProgressBar::ProgressBar(std::string label, int64_t total, bool enabled)
    : label_(std::move(label)),
      total_(std::max<int64_t>(total, 1)),
      active_(enabled && ::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(int64_t done, const std::string& status) {
  if (!active_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total_ && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  draw(done, status);
}

void ProgressBar::draw(int64_t done, const std::string& status) {
  done = std::clamp<int64_t>(done, 0, total_);
  const int filled = static_cast<int>(kBarWidth * done / total_);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kBarWidth - filled), '.');
  // \r and "clear to end of line" so that a shorter status leaves no residue.
  std::fprintf(stderr, "\r%s [%s] %lld/%lld %s\033[K", label_.c_str(), bar.c_str(),
               static_cast<long long>(done), static_cast<long long>(total_), status.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!active_) return;
  if (drawn_) {
    std::fputs("\n", stderr);
    std::fflush(stderr);
  }
  active_ = false;
}

std::function<void(int64_t, int64_t, double, double)> epoch_reporter(ProgressBar& bar) {
  if (!bar.active()) return nullptr;
  return [&bar](int64_t epoch, int64_t /*epochs*/, double loss, double val) {
    char status[64];
    std::snprintf(status, sizeof status, "loss %.4f val %.3f", loss, val);
    bar.update(epoch, status);
  };
}

std::function<void(int64_t, int64_t)> step_reporter(ProgressBar& bar) {
  if (!bar.active()) return nullptr;
  return [&bar](int64_t done, int64_t total) {
    bar.set_total(total);
    bar.update(done);
  };
}

}  // namespace gnnx::tools

#pragma once
// A one-line progress bar on stderr. It draws only when stderr is a terminal and the user did
// not ask for --quiet, so that piped output and logs stay clean; stdout is never touched.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace gnnx::tools {

class ProgressBar {
 public:
  /// label: what is progressing ("train"); total: number of steps (> 0);
  /// enabled: false to never draw (e.g. --quiet). Drawing also needs stderr to be a TTY.
  ProgressBar(std::string label, int64_t total, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Reports `done` of `total` steps with a short status text ("loss 0.31 val 0.95").
  /// Redraws at most every 100 ms, and always for the last step.
  void update(int64_t done, const std::string& status = "");
  /// Changes the number of steps (for work whose size is known only once it starts).
  void set_total(int64_t total) { total_ = total > 0 ? total : 1; }
  /// Ends the line. Called by the destructor if not before.
  void finish();

  /// Whether the bar draws at all.
  bool active() const { return active_; }

 private:
  void draw(int64_t done, const std::string& status);

  std::string label_;
  int64_t total_;
  bool active_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_;
};

/// For gnn::TrainOptions::on_epoch: draws "loss 0.3100 val 0.950" on `bar`. Empty when the bar
/// does not draw, so that training has nothing to call.
std::function<void(int64_t, int64_t, double, double)> epoch_reporter(ProgressBar& bar);

/// For explainers::MethodOptions::progress: (steps done, steps in all) on `bar`; empty when the
/// bar does not draw.
std::function<void(int64_t, int64_t)> step_reporter(ProgressBar& bar);

}  // namespace gnnx::tools

#include "thread_groups.h"

#include <ATen/Parallel.h>

#include <exception>
#include <thread>
#include <vector>

namespace gnnx::explainers::detail {
namespace {

// Sets ATen's thread count to 1 and restores the caller's on scope exit. Threads started while
// it is 1 also start at 1 (ATen initialises a new thread's count from the last value set).
class SingleThreadedAten {
 public:
  SingleThreadedAten() : saved_(at::get_num_threads()) { at::set_num_threads(1); }
  ~SingleThreadedAten() { at::set_num_threads(saved_); }

 private:
  int saved_;
};

}  // namespace

void run_in_threads(int64_t count, const std::function<void(int64_t)>& work) {
  if (count <= 0) return;
  SingleThreadedAten single;
  std::vector<std::exception_ptr> errors(count);
  auto run = [&](int64_t i) {
    try {
      work(i);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(count - 1);
  for (int64_t i = 1; i < count; ++i) threads.emplace_back(run, i);
  run(0);
  for (auto& t : threads) t.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace gnnx::explainers::detail

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>

#include <ATen/Parallel.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gnnx::gnn {
namespace {

std::atomic<int> g_worker_threads{0};  // 0: not set, follow ATen
// True on a thread while it runs a piece of run_in_threads' work: loops nested in that work run
// on their own thread only, not on worker_threads() more each (N x N threads).
thread_local bool t_in_worker = false;

// ATen's thread count is process-wide state (a default that new threads copy, plus each thread's
// OpenMP setting), so concurrent callers of run_in_threads (two Python threads explaining at
// once) must not save and restore it independently: the caller that left last would restore
// the 1 that another had set, and every thread started afterwards would run ATen on one
// thread. The first caller in saves the count, the last one out restores it, all under one lock.
std::mutex g_aten_mutex;
int g_single_threaded_users = 0;
int g_saved_aten_threads = 0;

// Makes ATen single-threaded on the calling thread for the scope's life (see above).
class SingleThreadedAten {
 public:
  SingleThreadedAten() {
    std::lock_guard<std::mutex> lock(g_aten_mutex);
    saved_ = at::get_num_threads();
    if (g_single_threaded_users++ == 0) g_saved_aten_threads = saved_;
    at::set_num_threads(1);
  }
  ~SingleThreadedAten() {
    std::lock_guard<std::mutex> lock(g_aten_mutex);
    // Workers set their own count when they start (pin_worker_to_one_aten_thread), so while
    // other callers remain, this thread may restore its own count (which also sets the default).
    at::set_num_threads(--g_single_threaded_users == 0 ? g_saved_aten_threads : saved_);
  }
  SingleThreadedAten(const SingleThreadedAten&) = delete;
  SingleThreadedAten& operator=(const SingleThreadedAten&) = delete;

 private:
  int saved_ = 1;
};

// A worker thread's own ATen count, set when it starts rather than copied from the default
// whenever ATen first runs on it, which another caller may have restored by then.
void pin_worker_to_one_aten_thread() {
  std::lock_guard<std::mutex> lock(g_aten_mutex);
  // ATen initialises a thread's count from the default the first time it asks for it; done
  // here first, or that first use would later overwrite the 1 with whatever the default is then.
  at::get_num_threads();
  at::set_num_threads(1);
}

}  // namespace

int worker_threads() {
  if (t_in_worker) return 1;
  const int n = g_worker_threads.load();
  return n > 0 ? n : std::max(1, at::get_num_threads());
}

void set_worker_threads(int n) {
  if (n < 1) throw InputError("worker threads must be >= 1, got " + std::to_string(n));
  g_worker_threads.store(n);
}

int usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void run_in_threads(int64_t count, const std::function<void(int64_t)>& work) {
  if (count <= 0) return;
  SingleThreadedAten single;
  std::vector<std::exception_ptr> errors(count);
  auto run = [&](int64_t i) {
    const bool outer = t_in_worker;
    t_in_worker = true;
    try {
      work(i);
    } catch (...) {
      errors[i] = std::current_exception();
    }
    t_in_worker = outer;
  };
  std::vector<std::thread> threads;
  threads.reserve(count - 1);
  for (int64_t i = 1; i < count; ++i) {
    threads.emplace_back([&run, i] {
      pin_worker_to_one_aten_thread();
      run(i);
    });
  }
  run(0);
  for (auto& t : threads) t.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

void parallel_for_each(int64_t count, int threads, const std::function<void(int64_t)>& work) {
  if (count <= 0) return;
  if (threads < 1) throw InputError("parallel_for_each: threads must be >= 1");
  std::atomic<int64_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(count);
  run_in_threads(std::min<int64_t>(threads, count), [&](int64_t) {
    for (int64_t i = next++; i < count && !failed.load(); i = next++) {
      try {
        work(i);
      } catch (...) {
        errors[i] = std::current_exception();
        failed.store(true);
      }
    }
  });
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace gnnx::gnn

// gnnx's own thread use (gnn/threads.h): every item runs once, results land by index whatever
// the thread count, exceptions come back, ATen runs single-threaded inside, the core count is sane.

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace gnnx {
namespace {

TEST(ThreadsTest, EveryItemRunsOnceForAnyThreadCount) {
  for (int threads : {1, 2, 3, 8, 100}) {
    std::vector<int> runs(37, 0);
    std::vector<int64_t> value(37, -1);
    gnn::parallel_for_each(37, threads, [&](int64_t i) {
      ++runs[i];
      value[i] = i * i;
    });
    for (int64_t i = 0; i < 37; ++i) {
      EXPECT_EQ(runs[i], 1) << "item " << i << ", " << threads << " threads";
      EXPECT_EQ(value[i], i * i);
    }
  }
  gnn::parallel_for_each(0, 4, [](int64_t) { FAIL() << "no items, no calls"; });
}

TEST(ThreadsTest, UsesAsManyThreadsAsAskedAndAtenRunsSingleThreaded) {
  std::mutex m;
  std::set<std::thread::id> seen;
  std::atomic<int> max_aten{0};
  std::atomic<int> waiting{0};
  // Each item waits until three are running at once: only possible on three threads.
  gnn::parallel_for_each(3, 3, [&](int64_t) {
    {
      std::lock_guard<std::mutex> lock(m);
      seen.insert(std::this_thread::get_id());
    }
    max_aten = std::max(max_aten.load(), at::get_num_threads());
    ++waiting;
    while (waiting.load() < 3) std::this_thread::yield();
  });
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(max_aten.load(), 1);
}

TEST(ThreadsTest, RestoresAtenThreadsAndRethrowsTheLowestIndex) {
  const int before = at::get_num_threads();
  EXPECT_THROW(
      {
        try {
          gnn::parallel_for_each(10, 1, [](int64_t i) {
            if (i == 4) throw std::runtime_error("item 4");
          });
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "item 4");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_EQ(at::get_num_threads(), before);
  EXPECT_THROW(gnn::parallel_for_each(3, 0, [](int64_t) {}), InputError);
}

// Two callers at once (Python threads explaining concurrently): each makes ATen single-threaded
// while it runs, and when both are done the count is the one set before, on the caller's thread
// and on threads started afterwards. With each caller saving and restoring on its own, the
// caller that left last restored the other's 1.
TEST(ThreadsTest, ConcurrentCallersRestoreTheAtenThreadCount) {
  const int before = at::get_num_threads();
  at::set_num_threads(3);
  std::atomic<int> max_aten{0};
  auto caller = [&](int pause_us) {
    for (int round = 0; round < 100; ++round) {
      gnn::parallel_for_each(2, 2, [&](int64_t) {
        max_aten = std::max(max_aten.load(), at::get_num_threads());
        std::this_thread::sleep_for(std::chrono::microseconds(pause_us));
      });
    }
  };
  std::thread first(caller, 150);
  std::thread second(caller, 230);
  first.join();
  second.join();
  EXPECT_EQ(max_aten.load(), 1);
  EXPECT_EQ(at::get_num_threads(), 3);
  int started_later = 0;
  std::thread later([&] { started_later = at::get_num_threads(); });
  later.join();
  EXPECT_EQ(started_later, 3);
  at::set_num_threads(before);
}

TEST(ThreadsTest, WorkerThreadsSetting) {
  const int before = gnn::worker_threads();
  EXPECT_GE(before, 1);
  gnn::set_worker_threads(5);
  EXPECT_EQ(gnn::worker_threads(), 5);
  EXPECT_THROW(gnn::set_worker_threads(0), InputError);
  EXPECT_EQ(gnn::worker_threads(), 5);
  gnn::set_worker_threads(before);
}

TEST(ThreadsTest, UsableCoresBetweenOneAndTheMachinesCores) {
  const int usable = gnn::usable_cores();
  EXPECT_GE(usable, 1);
  EXPECT_LE(usable, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace
}  // namespace gnnx

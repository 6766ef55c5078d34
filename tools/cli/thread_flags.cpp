#include "cli/thread_flags.h"

#include <gnnx/gnn/threads.h>
#include <gnnx/io/number.h>

#include <ATen/Parallel.h>

#include <string>

namespace gnnx::tools {
namespace {

constexpr int kMaxThreads = 4096;

}  // namespace

void add_thread_flags(CLI::App& app, GlobalOptions& globals) {
  app.add_option(
         "--threads", globals.threads_flag,
         "Worker threads for independent pieces of work (GNNExplainer's target groups, "
         "explain-mol's molecule batches): auto (every core this process may use; 1 with --shard) "
         "or N; results are the same for any N")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& input) -> std::string {
            if (input == "auto") return {};
            const auto n = io::to_integer<int>(input);
            if (!n || *n < 1 || *n > kMaxThreads) {
              return "expected auto or a whole number in [1, " + std::to_string(kMaxThreads) +
                     "], got '" + input + "'";
            }
            return {};
          },
          "auto|N", "threads"));
  app.add_option("--intra-op-threads", globals.intra_op_threads,
                 "LibTorch's threads inside each operation (OpenMP). Above 1 only for very large "
                 "graphs: on small ones the threads meet at a barrier after every operation "
                 "(README, Threads)")
      ->capture_default_str()
      ->check(CLI::Range(1, kMaxThreads));
}

void apply_thread_flags(GlobalOptions& globals) {
  at::set_num_threads(globals.intra_op_threads);
  globals.threads = globals.threads_flag == "auto"
                        ? gnn::usable_cores()
                        : *io::to_integer<int>(globals.threads_flag);  // checked above
  gnn::set_worker_threads(globals.threads);
}

}  // namespace gnnx::tools

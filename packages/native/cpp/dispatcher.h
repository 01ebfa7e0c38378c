// Runs closures on the JS thread of one Node environment, posted from any
// thread, without blocking the poster. One ThreadSafeFunction per environment
// (unref'd: it never keeps the process alive) carries every such delivery, so
// hooks do not each need their own. Posting after the environment has gone
// away is a no-op that returns false.
#pragma once

#include <napi.h>

#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace trtn {

class Dispatcher {
 public:
  static std::shared_ptr<Dispatcher> Create(Napi::Env env);

  bool Post(std::function<void(Napi::Env)> fn);
  bool OnJsThread() const { return std::this_thread::get_id() == jsThread_; }

 private:
  std::mutex mu_;
  bool alive_ = false;
  Napi::ThreadSafeFunction tsfn_;
  std::thread::id jsThread_;
};

}  // namespace trtn

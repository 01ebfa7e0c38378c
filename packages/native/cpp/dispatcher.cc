#include "dispatcher.h"

namespace trtn {

std::shared_ptr<Dispatcher> Dispatcher::Create(Napi::Env env) {
  auto d = std::make_shared<Dispatcher>();
  d->jsThread_ = std::this_thread::get_id();
  Napi::Function noop = Napi::Function::New(env, [](const Napi::CallbackInfo&) {});
  // The finalizer holds a raw pointer: the shared_ptr in AddonData outlives
  // the TSFN (both go at environment teardown, the TSFN first or the
  // finalizer is what runs last), and posters hold their own shared_ptr.
  auto* raw = new std::shared_ptr<Dispatcher>(d);
  d->tsfn_ = Napi::ThreadSafeFunction::New(env, noop, "trt-native-dispatch", 0, 1, raw,
                                           [](Napi::Env, std::shared_ptr<Dispatcher>* self) {
                                             {
                                               std::lock_guard<std::mutex> lock((*self)->mu_);
                                               (*self)->alive_ = false;
                                             }
                                             delete self;
                                           });
  d->tsfn_.Unref(env);
  d->alive_ = true;
  return d;
}

bool Dispatcher::Post(std::function<void(Napi::Env)> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!alive_) return false;
  napi_status status = tsfn_.NonBlockingCall([fn = std::move(fn)](Napi::Env env, Napi::Function) {
    // A throwing closure becomes an uncaught exception, as for any callback.
    fn(env);
  });
  return status == napi_ok;
}

}  // namespace trtn

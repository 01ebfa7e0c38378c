// The emulator's runtime cache (src/runtime_cache.h), through its exported
// functions only: contexts created while a cache is in use record one entry
// per (engine, profile, input shapes) they enqueue; the bytes round-trip into
// a fresh cache, which then counts hits; bad bytes are refused.
#include "caller.h"

using namespace t;

namespace {

struct CacheApi {
  void* (*create)() = symbol<void* (*)()>("trtEmulatorRuntimeCacheCreate");
  void (*destroy)(void*) = symbol<void (*)(void*)>("trtEmulatorRuntimeCacheDestroy");
  int32_t (*set)(void*, const void*, uint64_t) = symbol<int32_t (*)(void*, const void*, uint64_t)>("trtEmulatorRuntimeCacheSet");
  uint64_t (*get)(void*, void*, uint64_t) = symbol<uint64_t (*)(void*, void*, uint64_t)>("trtEmulatorRuntimeCacheGet");
  void (*use)(void*) = symbol<void (*)(void*)>("trtEmulatorRuntimeCacheUse");
  void (*stats)(void*, uint64_t*) = symbol<void (*)(void*, uint64_t*)>("trtEmulatorRuntimeCacheStats");

  bool complete() const { return create && destroy && set && get && use && stats; }
  std::vector<uint8_t> bytes(void* cache) const {
    std::vector<uint8_t> out(get(cache, nullptr, 0));
    CHECK_EQ(get(cache, out.data(), out.size()), static_cast<uint64_t>(out.size()));
    return out;
  }
  // {entries, hits, misses}
  std::vector<uint64_t> counts(void* cache) const {
    std::vector<uint64_t> out(3);
    stats(cache, out.data());
    return out;
  }
};

// Runs add_dynamic once at [batch, 4] on `ctx`.
template <class V>
bool runAdd(void* ctx, int64_t batch) {
  const Dims64 d = dims({batch, 4});
  Buffer a(batch * 16), b(batch * 16), s(batch * 16);
  a.fill(0);
  b.fill(0);
  bool ok = call<CTX(setInputShape)>(ctx, "a", &d) && call<CTX(setInputShape)>(ctx, "b", &d) &&
            call<CTX(setTensorAddress)>(ctx, "a", a.get()) && call<CTX(setTensorAddress)>(ctx, "b", b.get()) &&
            call<CTX(setTensorAddress)>(ctx, "sum", s.get()) && call<CTX(enqueueV3)>(ctx, stream());
  sync();
  return ok;
}

}  // namespace

TEST(runtime_cache, info_advertises_it) {
  CHECK(emulatorInfo().find("\"runtimeCache\":true") != std::string::npos);
  CHECK(CacheApi().complete());
}

TEST(runtime_cache, contexts_record_their_shapes_and_bytes_round_trip) {
  const CacheApi api;
  REQUIRE(api.complete());
  Loaded<V> f("add_dynamic");
  void* cache = api.create();
  REQUIRE(cache);
  CHECK_EQ(api.bytes(cache).size(), size_t{12});  // magic + zero entries

  api.use(cache);
  Owned ctx(f.context());
  api.use(nullptr);
  Owned plain(f.context());  // created after the cache was cleared: records nothing
  REQUIRE(ctx);
  REQUIRE(plain);
  CHECK(runAdd<V>(ctx.get(), 3));
  CHECK(runAdd<V>(ctx.get(), 3));
  CHECK(runAdd<V>(ctx.get(), 5));
  CHECK(runAdd<V>(plain.get(), 7));
  CHECK((api.counts(cache) == std::vector<uint64_t>{2, 1, 2}));
  const std::vector<uint8_t> saved = api.bytes(cache);
  const std::string text(saved.begin(), saved.end());
  CHECK(text.find("add_dynamic|profile 0|a[3,4]|b[3,4]") != std::string::npos);
  CHECK(text.find("[7,4]") == std::string::npos);

  // A fresh cache loaded from those bytes already knows both shapes.
  void* fresh = api.create();
  CHECK_EQ(api.set(fresh, saved.data(), saved.size()), 1);
  CHECK((api.bytes(fresh) == saved));
  api.use(fresh);
  Owned again(f.context());
  api.use(nullptr);
  CHECK(runAdd<V>(again.get(), 5));
  CHECK((api.counts(fresh) == std::vector<uint64_t>{2, 1, 0}));

  // The context keeps its cache alive after the handle is gone.
  api.destroy(fresh);
  CHECK(runAdd<V>(again.get(), 3));
  api.destroy(cache);
  CHECK_NO_ERRORS(f.logger);
}

TEST(runtime_cache, bad_bytes_are_refused_and_change_nothing) {
  const CacheApi api;
  REQUIRE(api.complete());
  void* cache = api.create();
  REQUIRE(cache);
  const std::string good = std::string("EMURTC01") + std::string("\x01\0\0\0", 4) + std::string("\x02\0\0\0", 4) + "ab";
  CHECK_EQ(api.set(cache, good.data(), good.size()), 1);
  CHECK_EQ(api.counts(cache)[0], uint64_t{1});
  const std::vector<std::string> bad = {
      "EMURTC0",                                          // too short
      std::string("EMURTC02") + std::string(4, '\0'),     // wrong magic
      good.substr(0, good.size() - 1),                    // truncated entry
      good + "x",                                         // trailing bytes
      std::string("EMURTC01") + std::string("\xff\xff\xff\xff", 4),  // count past the limit
      std::string("EMURTC01") + std::string("\x01\0\0\0", 4) + std::string(4, '\0'),  // empty entry
  };
  for (const std::string& b : bad) CHECK_EQ(api.set(cache, b.data(), b.size()), 0);
  CHECK_EQ(api.counts(cache)[0], uint64_t{1});
  CHECK_EQ(api.set(cache, nullptr, 0), 1);  // empty input: an empty cache
  CHECK_EQ(api.counts(cache)[0], uint64_t{0});
  CHECK_EQ(api.set(nullptr, good.data(), good.size()), 0);
  CHECK_EQ(api.get(nullptr, nullptr, 0), uint64_t{0});
  api.destroy(cache);
  api.destroy(nullptr);
}

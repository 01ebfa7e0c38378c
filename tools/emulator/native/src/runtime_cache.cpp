#include "runtime_cache.h"

#include <cstring>

#include "abi.h"

namespace emu {

namespace {

constexpr char kMagic[8] = {'E', 'M', 'U', 'R', 'T', 'C', '0', '1'};
// Bounds that keep a lying header from making the reader allocate wildly.
constexpr uint32_t kMaxEntries = 1u << 20;
constexpr uint32_t kMaxEntryBytes = 1u << 20;

void putU32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

bool getU32(const uint8_t* data, uint64_t size, uint64_t& at, uint32_t& v) {
  if (size - at < 4) return false;
  v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(data[at + i]) << (8 * i);
  at += 4;
  return true;
}

std::mutex gCurrentMutex;
std::shared_ptr<RuntimeCache> gCurrent;

}  // namespace

void RuntimeCache::record(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.insert(key).second) ++misses_;
  else ++hits_;
}

std::vector<uint8_t> RuntimeCache::serialize() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<uint8_t> out(kMagic, kMagic + sizeof kMagic);
  putU32(out, static_cast<uint32_t>(entries_.size()));
  for (const std::string& e : entries_) {
    putU32(out, static_cast<uint32_t>(e.size()));
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

bool RuntimeCache::deserialize(const uint8_t* data, uint64_t size) {
  std::set<std::string> read;
  if (size > 0) {
    if (!data || size < sizeof kMagic || std::memcmp(data, kMagic, sizeof kMagic) != 0) return false;
    uint64_t at = sizeof kMagic;
    uint32_t count = 0;
    if (!getU32(data, size, at, count) || count > kMaxEntries) return false;
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t length = 0;
      if (!getU32(data, size, at, length) || length == 0 || length > kMaxEntryBytes || size - at < length) return false;
      read.emplace(reinterpret_cast<const char*>(data + at), length);
      at += length;
    }
    if (at != size) return false;  // trailing bytes: not something serialize() wrote
  }
  std::lock_guard<std::mutex> lock(mutex_);
  entries_ = std::move(read);
  return true;
}

RuntimeCache::Stats RuntimeCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {entries_.size(), hits_, misses_};
}

std::shared_ptr<RuntimeCache> cacheForNewContexts() {
  std::lock_guard<std::mutex> lock(gCurrentMutex);
  return gCurrent;
}

void useCacheForNewContexts(std::shared_ptr<RuntimeCache> cache) {
  std::lock_guard<std::mutex> lock(gCurrentMutex);
  gCurrent = std::move(cache);
}

}  // namespace emu

using emu::RuntimeCache;

// A handle is a heap-held shared_ptr: contexts keep their own reference, so
// destroying the handle while contexts still use the cache is safe.
using Handle = std::shared_ptr<RuntimeCache>;

EMU_EXPORT void* trtEmulatorRuntimeCacheCreate() {
  try {
    return new Handle(std::make_shared<RuntimeCache>());
  } catch (...) {
    return nullptr;
  }
}

EMU_EXPORT void trtEmulatorRuntimeCacheDestroy(void* cache) { delete static_cast<Handle*>(cache); }

// Loads serialized bytes into the cache: 1 on success, 0 when they are not a
// serialized cache (the cache keeps its entries).
EMU_EXPORT int32_t trtEmulatorRuntimeCacheSet(void* cache, const void* data, uint64_t size) {
  if (!cache) return 0;
  try {
    return (*static_cast<Handle*>(cache))->deserialize(static_cast<const uint8_t*>(data), size) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

// Serializes the cache: returns the byte count, and writes the bytes to `out`
// when `capacity` holds them all (call with capacity 0 to learn the size).
EMU_EXPORT uint64_t trtEmulatorRuntimeCacheGet(void* cache, void* out, uint64_t capacity) {
  if (!cache) return 0;
  try {
    const std::vector<uint8_t> bytes = (*static_cast<Handle*>(cache))->serialize();
    if (out && capacity >= bytes.size()) std::memcpy(out, bytes.data(), bytes.size());
    return bytes.size();
  } catch (...) {
    return 0;
  }
}

// Contexts created after this call record into `cache` (null: no cache).
EMU_EXPORT void trtEmulatorRuntimeCacheUse(void* cache) {
  emu::useCacheForNewContexts(cache ? *static_cast<Handle*>(cache) : Handle());
}

// out[0] entries, out[1] hits, out[2] misses (enqueues that found / added their entry).
EMU_EXPORT void trtEmulatorRuntimeCacheStats(void* cache, uint64_t* out) {
  if (!cache || !out) return;
  const RuntimeCache::Stats s = (*static_cast<Handle*>(cache))->stats();
  out[0] = s.entries;
  out[1] = s.hits;
  out[2] = s.misses;
}

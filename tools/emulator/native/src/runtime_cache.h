// The emulator's stand-in for TensorRT-RTX's runtime cache. Real TensorRT
// keeps a runtime cache only in its RTX builds (kernels compiled at run time,
// reusable by later processes); standard TensorRT has none, and its ABI table
// has no slot for one. The emulator still offers one, through its own
// exported functions (trtEmulatorRuntimeCache*, advertised as
// "runtimeCache":true in trtEmulatorInfo), so the runtime's persistence path
// can be tested end to end: what contexts "compile" becomes bytes, the bytes
// go to a file, and a later process loads them back.
//
// What it caches: one entry per (engine, profile, input shapes) an enqueue
// ran, i.e. the kernels a shape-specializing TensorRT would have compiled.
// An enqueue whose entry is present counts a hit, otherwise a miss.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace emu {

class RuntimeCache {
 public:
  struct Stats {
    uint64_t entries = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
  };

  // One enqueue's kernel key: a hit when present, else a new entry (a miss).
  void record(const std::string& key);
  // The entries as bytes: "EMURTC01", u32 count, then per entry u32 length +
  // bytes, little-endian, entries sorted (equal contents give equal bytes).
  std::vector<uint8_t> serialize() const;
  // Replaces the entries with those of a serialized cache (empty input: no
  // entries). False, leaving the cache as it was, when the bytes are not one.
  bool deserialize(const uint8_t* data, uint64_t size);
  Stats stats() const;

 private:
  mutable std::mutex mutex_;
  std::set<std::string> entries_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

// The cache execution contexts created from now on record into (null: none).
// This plays the part of an IRuntimeConfig carrying a runtime cache: the
// caller sets it just before creating a context and clears it afterwards.
std::shared_ptr<RuntimeCache> cacheForNewContexts();
void useCacheForNewContexts(std::shared_ptr<RuntimeCache> cache);

}  // namespace emu

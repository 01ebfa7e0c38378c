// Bounded little-endian cursor over an untrusted byte range. Every read checks
// the bytes left first, so a truncated or lying plan can never make the reader
// touch memory past the caller's buffer; the first failure sticks, and the
// caller asks `ok()` / `error()` once at a convenient point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace emu {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  size_t offset() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }

  // Records `what` as the failure (keeps the first one) and returns false.
  bool fail(const std::string& what) {
    if (error_.empty()) error_ = what + " (at byte " + std::to_string(pos_) + ")";
    return false;
  }

  bool bytes(void* out, size_t n, const char* what) {
    if (!ok()) return false;
    if (n > remaining()) return fail(std::string("truncated plan while reading ") + what);
    std::memcpy(out, data_ + pos_, n);
    pos_ += n;
    return true;
  }

  // Little-endian decode by hand, so the format does not depend on the host.
  template <class T>
  T read(const char* what) {
    uint8_t b[sizeof(T)] = {};
    if (!bytes(b, sizeof(T), what)) return T{};
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= uint64_t{b[i]} << (8 * i);
    T out;
    std::memcpy(&out, &v, sizeof(T));  // low bytes on a little-endian host
    return out;
  }

  uint32_t u32(const char* what) { return read<uint32_t>(what); }
  uint64_t u64(const char* what) { return read<uint64_t>(what); }
  int32_t i32(const char* what) { return read<int32_t>(what); }
  int64_t i64(const char* what) { return read<int64_t>(what); }

  // u32 length + bytes; names must be 1..maxLen bytes without NUL.
  std::string name(const char* what, uint32_t maxLen) { return text(what, 1, maxLen); }

  // u32 length + bytes: minLen..maxLen bytes without NUL.
  std::string text(const char* what, uint32_t minLen, uint32_t maxLen) {
    const uint32_t n = u32(what);
    if (!ok()) return {};
    if (n < minLen || n > maxLen) {
      fail(std::string(what) + " has length " + std::to_string(n) + ", expected " + std::to_string(minLen) + ".." +
           std::to_string(maxLen));
      return {};
    }
    if (n > remaining()) {
      fail(std::string("truncated plan while reading ") + what);
      return {};
    }
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    if (s.find('\0') != std::string::npos) fail(std::string(what) + " contains a NUL byte");
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace emu

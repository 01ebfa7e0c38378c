// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the plan's checksum.
// The TypeScript builder computes the same function (src/crc32.ts).
#pragma once

#include <cstddef>
#include <cstdint>

namespace emu {

uint32_t crc32(const uint8_t* data, size_t size);

}  // namespace emu

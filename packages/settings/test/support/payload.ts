// Deterministic, self-identifying payloads for the multi-process save test:
// any payload read back names its writer and round, so it can be regenerated
// and compared byte for byte.

export function makePayload(writer: number, round: number): Uint8Array {
  // Sizes vary from 1 KiB to about 190 KiB so that a torn write would show.
  const size = 1024 + ((writer * 7919 + round * 104_729) % (190 * 1024));
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, writer, true);
  view.setUint32(4, round, true);
  let x = (writer * 0x9e3779b1) ^ (round + 1) * 0x85ebca6b || 1;
  for (let i = 8; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** The writer and round a payload names. */
export function payloadOrigin(bytes: Uint8Array): { writer: number; round: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { writer: view.getUint32(0, true), round: view.getUint32(4, true) };
}

/**
 * Raw engine plans: what TensorRT's builder writes (`trtexec --saveEngine`,
 * polygraphy, `IBuilder::buildSerializedNetwork`), what TensorRT-RTX's writes,
 * and what the project's TensorRT emulator writes. Both start with a recognisable header, so a plan is
 * told from a container, a pickle or a zip by its first bytes, never by its name.
 */

/** Who wrote a plan. */
export type PlanProducer = "tensorrt" | "tensorrt-rtx" | "emulator";

/** What a plan's first bytes say without deserializing it. */
export interface PlanHeader {
  /** TensorRT or the emulator. */
  producer: PlanProducer;
  /** The plan's own statement of its size in bytes, when its header has one. */
  declaredBytes: number | null;
  /**
   * The release that built it ("10.6.0.26"; for TensorRT-RTX its own numbering,
   * "1.7.1.116"), when the header carries a plausible one; null otherwise.
   */
  tensorrtVersion: string | null;
  /** Emulator plans only: the TensorRT major they require (0 = any). */
  requiredMajor: number | null;
}

/** Bytes {@link readPlanHeader} looks at. */
export const PLAN_HEADER_BYTES = 32;

// "ftrt": the first four bytes of every plan TensorRT 8 to 11 serializes.
const TENSORRT_MAGIC = [0x66, 0x74, 0x72, 0x74];
// "vtrt": TensorRT-RTX's plans (seen on 1.7.1), otherwise laid out like TensorRT's.
const TENSORRT_RTX_MAGIC = [0x76, 0x74, 0x72, 0x74];
// "TRTEMUPL": the emulator's plan format, version 1 (tools/emulator/README.md).
const EMULATOR_MAGIC = [0x54, 0x52, 0x54, 0x45, 0x4d, 0x55, 0x50, 0x4c];

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

/** True when `head` starts like a TensorRT or emulator plan. */
export function looksLikePlan(head: Uint8Array): boolean {
  return startsWith(head, TENSORRT_MAGIC) || startsWith(head, TENSORRT_RTX_MAGIC) || startsWith(head, EMULATOR_MAGIC);
}

function u64(view: DataView, offset: number): number | null {
  if (view.byteLength < offset + 8) return null;
  const hi = view.getUint32(offset + 4, true);
  return hi >= 0x200000 ? null : hi * 0x100000000 + view.getUint32(offset, true);
}

/** TensorRT's build release at offset 24, when those four bytes look like one ("10.6.0.26"). */
function releaseAt24(head: Uint8Array, rtx: boolean): string | null {
  if (head.length < 28) return null;
  const [major, minor, patch, build] = [head[24], head[25], head[26], head[27]] as number[];
  // TensorRT releases are 8 and up; TensorRT-RTX's started again at 1.
  const [lowest, highest] = rtx ? [1, 9] : [8, 30];
  return (major as number) >= lowest && (major as number) <= highest && (minor as number) < 100 ? `${major}.${minor}.${patch}.${build}` : null;
}

/** A plan whose header states more bytes than the file holds. */
export interface CutShortPlan {
  producer: PlanProducer;
  /** The size the header states. */
  declaredBytes: number;
  /** The release that built it, when the header says (never for emulator plans). */
  tensorrtVersion: string | null;
}

/**
 * Tells a plan that was cut short (an interrupted copy or download) from a whole
 * one: its header states a size larger than the file. Null when the file is at
 * least as long as the header says, or when the header does not state a size it
 * can be trusted on (a TensorRT header counts only where its release bytes look
 * like a release, since TensorRT does not document the layout).
 */
export function cutShortPlan(head: Uint8Array, fileBytes: number): CutShortPlan | null {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const declared = u64(view, 16);
  if (declared === null || declared <= fileBytes) return null;
  if (startsWith(head, EMULATOR_MAGIC)) return { producer: "emulator", declaredBytes: declared, tensorrtVersion: null };
  const rtx = startsWith(head, TENSORRT_RTX_MAGIC);
  if (!rtx && !startsWith(head, TENSORRT_MAGIC)) return null;
  const release = releaseAt24(head, rtx);
  return release === null ? null : { producer: rtx ? "tensorrt-rtx" : "tensorrt", declaredBytes: declared, tensorrtVersion: release };
}

/**
 * Reads a plan header, or returns null when `head` is not a plan. Layout of
 * TensorRT's header, as TensorRT 10.6 plans have it: "ftrt" at 0, the plan's
 * size in bytes as a little-endian u64 at 16, and the building release as four
 * bytes major, minor, patch, build at 24. TensorRT does not document this, so
 * a size or version that does not look right is reported as unknown (null)
 * rather than trusted.
 */
export function readPlanHeader(head: Uint8Array, fileBytes?: number): PlanHeader | null {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (startsWith(head, EMULATOR_MAGIC)) {
    return {
      producer: "emulator",
      declaredBytes: u64(view, 16),
      tensorrtVersion: null,
      requiredMajor: head.length >= 28 ? view.getUint32(24, true) : null,
    };
  }
  const rtx = startsWith(head, TENSORRT_RTX_MAGIC);
  if (!rtx && !startsWith(head, TENSORRT_MAGIC)) return null;
  const size = u64(view, 16);
  const plausibleSize = size !== null && size > 0 && (fileBytes === undefined || size === fileBytes);
  const version = releaseAt24(head, rtx);
  return { producer: rtx ? "tensorrt-rtx" : "tensorrt", declaredBytes: plausibleSize ? size : null, tensorrtVersion: plausibleSize ? version : null, requiredMajor: null };
}

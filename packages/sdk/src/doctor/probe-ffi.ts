/**
 * `trt doctor`'s look at the ffi engine implementation: it needs koffi (a
 * regular dependency with prebuilt binaries) and a loadable libnvinfer, which
 * probe-tensorrt.ts reports on.
 */

/** What doctor found about koffi. */
export interface FfiFinding {
  readonly koffi: { readonly loaded: boolean; readonly version: string | null; readonly error: string | null };
}

/** Loads koffi and reads its version. */
export async function probeFfi(): Promise<FfiFinding> {
  try {
    const koffi = (await import("koffi")).default;
    return { koffi: { loaded: true, version: koffi.version ?? null, error: null } };
  } catch (e) {
    return { koffi: { loaded: false, version: null, error: e instanceof Error ? e.message : String(e) } };
  }
}

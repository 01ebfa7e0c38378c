/**
 * Where a completion callback's wake spends its time on a GPU. For copies of
 * several lengths: when CUDA ran the host function (stamped by
 * support/wake-probe.c), measured from the end of the GPU work (enqueue time
 * plus the copy's length from events), and when the event loop noticed the
 * wake, measured from that stamp; once with the loop idle, once with it kept
 * turning by immediates. Compiles the probe with the C compiler (cc, or $CC).
 * Run on a GPU machine: pnpm --filter @trt/runtime exec tsx bench/wake-latency.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import koffi from "koffi";
import { CudaDevice, cudaUnavailableReason } from "../src/device/index.js";
import { loopWakeup } from "../src/device/loop-wakeup.js";

const reason = cudaUnavailableReason();
if (reason) {
  console.log(`no GPU here (${reason}); nothing to measure`);
  process.exit(0);
}

const library = join(mkdtempSync(join(tmpdir(), "trt-wake-probe-")), "libwakeprobe.so");
execFileSync(process.env.CC ?? "cc", ["-shared", "-fPIC", "-O2", "-o", library, fileURLToPath(new URL("./support/wake-probe.c", import.meta.url))]);
const probeLib = koffi.load(library);
const nowUs = probeLib.func("double probe_now_us()") as () => number;
const probeFire = Number((probeLib.func("uintptr_t probe_fire_address()") as () => number | bigint)());
if (!probeFire) throw new Error("probe_fire not found");

let onWake: (() => void) | null = null;
let wokeAt = 0;
const wakeup = loopWakeup(() => {
  wokeAt = nowUs();
  onWake?.();
});
if (!wakeup) throw new Error("no loop wakeup on this thread");
// struct probe { double stamp_us; send_fn send; void* handle; }, in memory that stays put.
const probe = koffi.alloc("uint64_t", 3);
koffi.encode(probe, 8, "uint64_t", BigInt(wakeup.signalFunction));
koffi.encode(probe, 16, "uint64_t", BigInt(wakeup.handle));
const probeAddress = Number(koffi.address(probe));
const readStamp = () => koffi.decode(probe, 0, "double") as number;

const d = new CudaDevice();
const props = d.properties();
console.log(`${props.name}, CUDA runtime ${d.versions().runtime}, Node ${process.version}`);
const CHUNK = 1 << 28;
const A = d.alloc(CHUNK, 0);
const B = d.alloc(CHUNK, 0);
const s = d.createStream();
const e1 = d.createEvent();
const e2 = d.createEvent();
d.synchronize(0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(bytes: number, busy: boolean): Promise<void> {
  d.recordEvent(e1, s);
  d.copyDeviceToDevice(B, A, bytes, s);
  d.recordEvent(e2, s);
  d.synchronize(s);
  const gpuUs = d.elapsedMs(e1, e2) * 1000;
  const late: number[] = [];
  const notice: number[] = [];
  let turning = busy;
  const spin = () => {
    if (turning) setImmediate(spin);
  };
  if (busy) setImmediate(spin);
  for (let r = 0; r < 70; r++) {
    koffi.encode(probe, 0, "double", 0);
    wokeAt = 0;
    const woke = new Promise<void>((resolve) => (onWake = resolve));
    wakeup!.hold();
    const t0 = nowUs();
    d.copyDeviceToDevice(B, A, bytes, s);
    const enqueued = nowUs();
    d.check("cudaLaunchHostFunc", d.api.cudaLaunchHostFunc(s, probeFire, probeAddress));
    await woke;
    wakeup!.release();
    d.synchronize(s);
    if (r < 10) continue;
    const ran = readStamp();
    late.push(ran - Math.max(enqueued, t0 + gpuUs));
    notice.push(wokeAt - ran);
  }
  turning = false;
  console.log(
    `copy of ${gpuUs.toFixed(0).padStart(5)} us, loop ${busy ? "busy" : "idle"}: host function ran ${median(late).toFixed(0)} us after the GPU's end (est.), ` +
      `loop noticed ${median(notice).toFixed(1)} us after it ran`,
  );
}

for (const bytes of [1 << 22, 1 << 26, 1 << 28]) {
  for (const busy of [false, true]) await measure(bytes, busy);
}
d.destroyStream(s);
for (const a of [A, B]) d.free(a, 0);
process.exit(0);

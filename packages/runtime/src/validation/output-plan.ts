/**
 * Output shapes per input-shape signature. Asking the engine
 * (inferOutputShapes) costs a call per input and per output; a serving loop
 * sees the same few shapes over and over, so the answer is kept per
 * (profile, packed input shapes). The last signature is compared first,
 * without building a key, which is the steady state of a fixed-shape loop.
 */

/** What a run allocates for its outputs, in binding order. */
export interface OutputPlan {
  /** Each output's shape; data-dependent dims are -1. */
  readonly shapes: readonly (readonly number[])[];
  /** Bytes to allocate per output (-1: served by the output allocator). */
  readonly bytes: readonly number[];
  /** Whether the output's size is only known during execution (output allocator). */
  readonly dataDependent: readonly boolean[];
}

/** Bound on remembered signatures; past it the oldest go first. */
const LIMIT = 1024;

/** Output plans by input-shape signature. */
export class OutputShapeCache {
  private readonly plans = new Map<string, OutputPlan>();
  private lastProfile = -1;
  private lastShapes: Float64Array | null = null;
  private lastPlan: OutputPlan | null = null;

  /** The plan for these shapes under `profile`, if computed before. */
  lookup(profile: number, packed: Float64Array): OutputPlan | undefined {
    if (profile === this.lastProfile && this.lastShapes !== null && sameShapes(this.lastShapes, packed)) return this.lastPlan!;
    const plan = this.plans.get(key(profile, packed));
    if (plan) this.remember(profile, packed, plan);
    return plan;
  }

  /** Remembers `plan` for these shapes under `profile`. */
  store(profile: number, packed: Float64Array, plan: OutputPlan): void {
    if (this.plans.size >= LIMIT) this.plans.delete(this.plans.keys().next().value!);
    this.plans.set(key(profile, packed), plan);
    this.remember(profile, packed, plan);
  }

  /** Number of remembered signatures. */
  get size(): number {
    return this.plans.size;
  }

  /** Forgets everything (e.g. when the engine behind the plans changes). */
  clear(): void {
    this.plans.clear();
    this.lastShapes = null;
    this.lastPlan = null;
    this.lastProfile = -1;
  }

  private remember(profile: number, packed: Float64Array, plan: OutputPlan): void {
    this.lastProfile = profile;
    this.lastShapes = packed.slice();
    this.lastPlan = plan;
  }
}

function key(profile: number, packed: Float64Array): string {
  return `${profile}|${packed.join(",")}`;
}

function sameShapes(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

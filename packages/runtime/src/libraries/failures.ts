/**
 * One short sentence for a library search that found nothing. Six candidates
 * failing the same way ("cannot open shared object file") used to be six
 * copies of that text in one error line; grouped by where each was looked for
 * and why it failed, they read as one or two clauses. Each candidate on a
 * line of its own is `trt doctor`'s job.
 */

/** One candidate that did not load. */
export interface CandidateFailure {
  /** The file name or path tried. */
  readonly path: string;
  /** Where it was looked for ("system loader", "$TRT_NVINFER_PATH", ...). */
  readonly origin: string;
  /** Why it did not load. */
  readonly reason: string;
}

/** "libnvinfer.so.11, libnvinfer.so.10 (system loader): cannot open shared object file; ..." */
export function summarizeFailures(failures: readonly CandidateFailure[]): string {
  const groups = new Map<string, { origin: string; reason: string; paths: string[] }>();
  for (const f of failures) {
    const key = `${f.origin}\u0000${f.reason}`;
    const group = groups.get(key);
    if (group) group.paths.push(f.path);
    else groups.set(key, { origin: f.origin, reason: f.reason, paths: [f.path] });
  }
  const clauses = [...groups.values()].map((g) => `${g.paths.join(", ")} (${g.origin}): ${g.reason}`);
  return failures.length > 1 ? `none of ${failures.length} candidates loaded: ${clauses.join("; ")}` : (clauses[0] ?? "no candidate to try");
}

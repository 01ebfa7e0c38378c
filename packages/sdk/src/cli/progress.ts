/**
 * The bench's progress bar (cli-progress). It goes to stderr, so stdout stays
 * the report (and valid JSON with --json), and only when stderr is a
 * terminal: cli-progress draws nothing into a pipe or a CI log.
 */
import cliProgress from "cli-progress";

/** What the bench loop needs from a progress display. */
export interface Progress {
  tick(): void;
  stop(): void;
}

const silent: Progress = { tick() {}, stop() {} };

/** A bar for `total` steps labelled `label`, or a no-op when disabled or stderr is not a terminal. */
export function startProgress(label: string, total: number, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} runs | {duration_formatted} | eta {eta_formatted}`, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let value = 0;
  return {
    tick() {
      bar.update(++value);
    },
    stop() {
      bar.stop();
    },
  };
}

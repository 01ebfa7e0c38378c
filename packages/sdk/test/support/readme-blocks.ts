/**
 * The fenced code blocks of a README and the marker comment that says how
 * each is checked (the convention is explained at the top of
 * readme-examples.test.ts).
 */

/** How a block is checked. */
export type ExampleMode = "run" | "typecheck" | "fragment";

/** One fenced code block. */
export interface ReadmeBlock {
  /** Where it is, for messages: the README's path as given, and the 1-based line of its opening fence. */
  readonly file: string;
  readonly line: number;
  /** The fence's language tag, lower case ("" when there is none). */
  readonly lang: string;
  readonly code: string;
  /** From the marker before the fence; null when there is none. */
  readonly mode: ExampleMode | null;
  /** For `typecheck`: the names the block uses without defining them. */
  readonly given: readonly string[];
}

/** What reading a README found: its blocks, and what is wrong with its markers. */
export interface ReadmeScan {
  readonly blocks: readonly ReadmeBlock[];
  readonly problems: readonly string[];
}

/** Languages whose blocks must carry a marker. */
export const TYPESCRIPT_LANGS: ReadonlySet<string> = new Set(["ts", "typescript", "mts"]);
export const JAVASCRIPT_LANGS: ReadonlySet<string> = new Set(["js", "javascript", "mjs"]);

const FENCE = /^ {0,3}(`{3,})\s*([\w-]*)/;
const MARKER = /^<!--\s*example:\s*(.*?)\s*-->\s*$/;
const MARKER_BODY = /^(run|typecheck|fragment)(?:\s*\((.*)\))?$/;

interface Marker {
  readonly mode: ExampleMode;
  readonly given: readonly string[];
}

function parseMarker(body: string, where: string, problems: string[]): Marker | null {
  const match = MARKER_BODY.exec(body);
  if (match === null) {
    problems.push(`${where}: unknown example marker "${body}" (expected run, typecheck (given: a, b) or fragment (reason))`);
    return null;
  }
  const mode = match[1] as ExampleMode;
  const detail = match[2]?.trim();
  if (mode === "fragment") {
    if (!detail) problems.push(`${where}: a fragment marker says why the block is not checked: <!-- example: fragment (reason) -->`);
    return { mode, given: [] };
  }
  if (detail === undefined) return { mode, given: [] };
  const given = /^given:\s*(.+)$/.exec(detail);
  if (mode !== "typecheck" || given === null) {
    problems.push(`${where}: only typecheck takes a detail, and it is "(given: a, b)"; found "(${detail})"`);
    return { mode, given: [] };
  }
  return { mode, given: given[1]!.split(",").map((name) => name.trim()) };
}

/**
 * The fenced blocks of `text` (the README at `file`), each with the marker on
 * the nearest non-blank line before its fence, and every marker problem:
 * a TypeScript or JavaScript block without a marker, a marker no block
 * follows, an unknown mode, `run` on anything but JavaScript, `typecheck` on
 * anything but TypeScript.
 */
export function scanReadme(file: string, text: string): ReadmeScan {
  const lines = text.split("\n");
  const blocks: ReadmeBlock[] = [];
  const problems: string[] = [];
  let pending: { marker: Marker | null; line: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const where = `${file}:${i + 1}`;
    const marker = MARKER.exec(line);
    if (marker !== null) {
      if (pending !== null) problems.push(`${file}:${pending.line}: example marker not followed by a code block`);
      pending = { marker: parseMarker(marker[1]!, where, problems), line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence === null) {
      if (line.trim() !== "" && pending !== null) {
        problems.push(`${file}:${pending.line}: example marker not followed by a code block`);
        pending = null;
      }
      continue;
    }
    // The block runs to the next fence of at least as many backticks with nothing after it.
    const ticks = fence[1]!;
    const lang = fence[2]!.toLowerCase();
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^ {0,3}${ticks}\`*\\s*$`).test(lines[end]!)) end++;
    const block: ReadmeBlock = {
      file,
      line: i + 1,
      lang,
      code: lines.slice(i + 1, end).join("\n") + "\n",
      mode: pending?.marker?.mode ?? null,
      given: pending?.marker?.given ?? [],
    };
    blocks.push(block);
    problems.push(...markerProblems(block, pending !== null));
    pending = null;
    i = end;
  }
  if (pending !== null) problems.push(`${file}:${pending.line}: example marker not followed by a code block`);
  return { blocks, problems };
}

function markerProblems(block: ReadmeBlock, marked: boolean): string[] {
  const where = `${block.file}:${block.line}`;
  const code = TYPESCRIPT_LANGS.has(block.lang) || JAVASCRIPT_LANGS.has(block.lang);
  if (!marked) return code ? [`${where}: a ${block.lang} block needs a marker before its fence: <!-- example: run | typecheck | fragment (reason) -->`] : [];
  if (block.mode === "run" && !JAVASCRIPT_LANGS.has(block.lang)) return [`${where}: "run" is for js/mjs blocks (Node runs them as they are); found "${block.lang}"`];
  if (block.mode === "typecheck" && !TYPESCRIPT_LANGS.has(block.lang)) return [`${where}: "typecheck" is for ts blocks; found "${block.lang}"`];
  return [];
}

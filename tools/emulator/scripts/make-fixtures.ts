// Writes the fixture engines into fixtures/out/ (gitignored). Run with tsx:
//   pnpm --filter @trt/emulator fixtures    (or: tsx scripts/make-fixtures.ts [dir])
import { buildFixtures } from "../src/index.js";

const set = buildFixtures(process.argv[2]);
console.log(
  `[emulator] ${Object.keys(set.plans).length} fixture plans and ${Object.keys(set.invalid).length} invalid plans in ${set.dir}`,
);

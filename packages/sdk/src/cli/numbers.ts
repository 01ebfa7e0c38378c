/** commander argument parsers for numeric options, so bad values are usage errors before anything loads. */
import { InvalidArgumentError } from "commander";

/** Parses a whole number of at least `min`. */
export function integerAtLeast(min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}`);
    return n;
  };
}

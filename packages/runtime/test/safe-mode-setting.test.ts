/**
 * The multi-device safe mode setting: off by default (as in Torch-TensorRT),
 * a process setter, and scopes that cover exactly the work started inside
 * them and end when it does, also when it throws or rejects.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getMultiDeviceSafeMode, setMultiDeviceSafeMode, useMultiDeviceSafeMode, withMultiDeviceSafeMode } from "../src/placement/safe-mode.js";

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe("multi-device safe mode setting", () => {
  afterEach(() => setMultiDeviceSafeMode(false));

  it("is off by default and follows the process setter", () => {
    expect(getMultiDeviceSafeMode()).toBe(false);
    setMultiDeviceSafeMode(true);
    expect(getMultiDeviceSafeMode()).toBe(true);
    setMultiDeviceSafeMode(false);
    expect(getMultiDeviceSafeMode()).toBe(false);
  });

  it("refuses anything but a boolean (a truthy string must not silently mean on)", () => {
    expect(() => setMultiDeviceSafeMode("yes" as unknown as boolean)).toThrow(TypeError);
    expect(() => withMultiDeviceSafeMode(1 as unknown as boolean, () => 0)).toThrow(TypeError);
    expect(getMultiDeviceSafeMode()).toBe(false);
  });

  it("the callback form returns fn's value and restores after a throw", () => {
    expect(withMultiDeviceSafeMode(true, () => getMultiDeviceSafeMode())).toBe(true);
    expect(() =>
      withMultiDeviceSafeMode(true, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(getMultiDeviceSafeMode()).toBe(false);
  });

  it("holds across fn's awaits and restores after a rejection", async () => {
    const seen: boolean[] = [];
    const failing = withMultiDeviceSafeMode(true, async () => {
      await tick();
      seen.push(getMultiDeviceSafeMode());
      throw new Error("late");
    });
    await expect(failing).rejects.toThrow("late");
    expect(seen).toEqual([true]);
    expect(getMultiDeviceSafeMode()).toBe(false);
  });

  it("concurrent tasks in different scopes each see their own value, and nest", async () => {
    const [a, b] = await Promise.all([
      withMultiDeviceSafeMode(true, async () => {
        await tick();
        const inner = withMultiDeviceSafeMode(false, () => getMultiDeviceSafeMode());
        return [getMultiDeviceSafeMode(), inner];
      }),
      (async () => {
        await tick();
        return [getMultiDeviceSafeMode()];
      })(),
    ]);
    expect(a).toEqual([true, false]);
    expect(b).toEqual([false]);
  });

  it("a scope overrides the process setting and hands it back", () => {
    setMultiDeviceSafeMode(true);
    expect(withMultiDeviceSafeMode(false, () => getMultiDeviceSafeMode())).toBe(false);
    expect(getMultiDeviceSafeMode()).toBe(true);
  });

  it("the disposable form ends at the block's end", () => {
    {
      using scope = useMultiDeviceSafeMode(true);
      expect(scope.active).toBe(true);
      expect(getMultiDeviceSafeMode()).toBe(true);
    }
    expect(getMultiDeviceSafeMode()).toBe(false);
    const scope = useMultiDeviceSafeMode(true);
    scope.close();
    scope.close();
    expect(scope.active).toBe(false);
    expect(getMultiDeviceSafeMode()).toBe(false);
  });
});

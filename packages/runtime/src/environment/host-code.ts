/**
 * Whether engines that carry host code may be deserialized
 * (IRuntime::setEngineHostCodeAllowed). Such an engine runs code it brings
 * with it inside this process: the lean runtime embedded in a
 * version-compatible engine, or plugins serialized into it. Loading one is a
 * security decision, like running a program the engine's author wrote, so it
 * stays refused unless the program opts in (the `allowEngineHostCode`
 * option) or whoever runs it does (TRT_ALLOW_ENGINE_HOST_CODE=1).
 */

/** Set to 1 (or true) to allow engines with host code where the program does not decide. */
export const ALLOW_ENGINE_HOST_CODE_ENV = "TRT_ALLOW_ENGINE_HOST_CODE";

/** The option when the program set it (either way), else the environment variable, else refused. */
export function engineHostCodeAllowed(option: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  if (option !== undefined) return option;
  const value = env[ALLOW_ENGINE_HOST_CODE_ENV]?.trim().toLowerCase();
  return value === "1" || value === "true";
}

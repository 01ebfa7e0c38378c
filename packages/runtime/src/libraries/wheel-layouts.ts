/**
 * Where NVIDIA's pip wheels put the libraries, relative to a site-packages
 * directory. Facts, checked against the wheels' file lists:
 *
 * - tensorrt-lean-cu13-libs 10.16.1.11: `tensorrt_lean_libs/libnvinfer_lean.so.10`
 *   (beside `libnvinfer_vc_plugin.so.10`);
 * - tensorrt-dispatch-cu13-libs 10.16.1.11: `tensorrt_dispatch_libs/libnvinfer_dispatch.so.10`;
 * - tensorrt-cu13-libs (the full runtime; PyPI holds only a stub that fetches
 *   the wheel from NVIDIA's index): `tensorrt_libs/libnvinfer.so.10`, as
 *   installed environments show;
 * - nvidia-cuda-runtime 13.0.48 to 13.5.37: `nvidia/cu13/lib/libcudart.so.13`;
 * - nvidia-cuda-runtime-cu12 12.9.79: `nvidia/cuda_runtime/lib/libcudart.so.12`.
 *
 * TensorRT 11 wheels are assumed to keep the same directories with `.so.11`
 * file names (not checked: none was published when this was written).
 */
import { supportedMajors } from "../abi/tables.generated.js";
import { VARIANT_STEMS } from "./variant.js";
import type { TensorRTVariant } from "./variant.js";

/** The package directory each TensorRT variant's wheel installs. */
const TENSORRT_WHEEL_DIRS: Readonly<Record<TensorRTVariant, string>> = {
  full: "tensorrt_libs",
  lean: "tensorrt_lean_libs",
  dispatch: "tensorrt_dispatch_libs",
};

/** Supported TensorRT majors, newest first: the order every search tries them in. */
export const MAJORS_NEWEST_FIRST: readonly number[] = [...supportedMajors].sort((a, b) => b - a);

/** `libnvinfer_lean.so.10` and the like. */
export function tensorrtFileName(variant: TensorRTVariant, major: number): string {
  return `${VARIANT_STEMS[variant]}.so.${major}`;
}

/** Where a TensorRT wheel of this variant and major puts its library, relative to site-packages. */
export function tensorrtWheelFile(variant: TensorRTVariant, major: number): string {
  return `${TENSORRT_WHEEL_DIRS[variant]}/${tensorrtFileName(variant, major)}`;
}

/** libcudart inside site-packages, newest CUDA first (the order of the sonames too). */
export const CUDART_WHEEL_FILES: readonly string[] = ["nvidia/cu13/lib/libcudart.so.13", "nvidia/cuda_runtime/lib/libcudart.so.12"];

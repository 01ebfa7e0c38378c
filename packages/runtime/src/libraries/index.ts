export { describeOrigin, NVINFER_SEARCH, CUDART_SEARCH, searchCandidates, listCandidates } from "./candidates.js";
export type { CandidateSource, LibraryCandidate, LibrarySearch, LibrarySearchOptions } from "./candidates.js";
export { PYTHON_ENV, PYTHON_TIMEOUT_MS, prefixSitePackages, pythonSitePackages } from "./site-packages.js";
export type { SitePackagesDir } from "./site-packages.js";
export { describeVariant, variantOf } from "./variant.js";
export type { TensorRTVariant } from "./variant.js";

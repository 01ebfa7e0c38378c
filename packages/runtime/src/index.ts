// Public API of this package; filled in by its own issue.
export {};

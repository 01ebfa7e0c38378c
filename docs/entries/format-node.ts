/**
 * File helpers for Node.js: read and write engine files (container or pickle).
 * @module @trt/format/node
 */
export * from "@trt/format/node";

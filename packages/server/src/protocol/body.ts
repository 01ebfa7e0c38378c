/**
 * An inference request's body, split into its JSON header and the binary
 * tensor data after it. With the binary tensor data extension the header
 * `Inference-Header-Content-Length` gives the JSON part's length in bytes and
 * the rest of the body is the inputs' raw bytes, one after another; without
 * it the whole body is JSON. A body compressed by the client
 * (`Content-Encoding: gzip` or `deflate`, as tritonclient can send) is
 * inflated first, never past the body limit.
 */
import { gunzipSync, inflateSync } from "node:zlib";
import { badRequest, ProtocolError } from "./errors.js";

/** The request header that says how many bytes of the body are JSON. */
export const HEADER_LENGTH_HEADER = "inference-header-content-length";

/** A request body taken apart. */
export interface SplitBody {
  /** The parsed JSON header (not yet checked against the request schema). */
  readonly header: unknown;
  /** The bytes after the JSON header: the inputs' binary data, in input order. Empty without the extension. */
  readonly binary: Buffer;
}

type HeaderValue = string | string[] | undefined;

/**
 * Splits `body` as the request headers say.
 * @param body the body as received
 * @param headers the request's `inference-header-content-length` and `content-encoding`
 * @param maxBytes the most bytes an inflated body may have (the server's body limit)
 */
export function splitBody(body: Buffer, headers: { readonly [name: string]: HeaderValue }, maxBytes: number): SplitBody {
  const bytes = inflate(body, headers["content-encoding"], maxBytes);
  const declared = headers[HEADER_LENGTH_HEADER];
  const jsonLength = declared === undefined ? bytes.length : headerLength(declared, bytes.length);
  if (jsonLength === 0) {
    throw badRequest(declared === undefined ? "the request has no JSON header: the body is empty" : `the ${HEADER_LENGTH_HEADER} header is 0: the request has no JSON header`);
  }
  return { header: parseJson(bytes.subarray(0, jsonLength)), binary: bytes.subarray(jsonLength) };
}

/** The JSON part's length from the header's value, checked against the body's length. */
function headerLength(value: string | string[], bodyLength: number): number {
  if (Array.isArray(value)) throw badRequest(`the ${HEADER_LENGTH_HEADER} header is given ${value.length} times; give it once`);
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw badRequest(`the ${HEADER_LENGTH_HEADER} header must be a byte count (a non-negative integer); got "${value}"`);
  const length = Number(text);
  if (length > bodyLength) {
    throw badRequest(`the ${HEADER_LENGTH_HEADER} header says the JSON part is ${text} bytes, but the body has only ${bodyLength}: the body is cut short`);
  }
  return length;
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw badRequest(`the request's JSON header is not valid JSON (${(error as Error).message})`);
  }
}

function inflate(body: Buffer, encoding: HeaderValue, maxBytes: number): Buffer {
  const name = (Array.isArray(encoding) ? encoding.join(",") : (encoding ?? "identity")).trim().toLowerCase();
  if (name === "identity" || name === "") return body;
  if (name !== "gzip" && name !== "deflate") {
    throw new ProtocolError(415, `content encoding "${name}" is not supported; send the body as it is, or with gzip or deflate`);
  }
  try {
    // maxOutputLength bounds the inflated size, so a small compressed body cannot expand past the limit in memory.
    return name === "gzip" ? gunzipSync(body, { maxOutputLength: maxBytes }) : inflateSync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new ProtocolError(413, `the ${name}-compressed body inflates to more than the body limit of ${maxBytes} bytes`);
    }
    throw badRequest(`the body is not valid ${name} data (${(error as Error).message})`);
  }
}

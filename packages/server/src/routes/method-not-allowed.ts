/**
 * A request for a path the server has, with a method it does not take there
 * (GET on an infer URL, POST on a health URL), is answered 405 with an
 * `Allow` header naming the methods it takes, as HTTP asks, instead of the
 * 404 fastify gives any method/path pair it has no route for.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

interface KnownPath {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

/**
 * Starts collecting the app's routes (call before registering any) and returns the not-found handler
 * to install: a 405 for a known path, else `notFound`.
 */
export function methodNotAllowed(
  app: FastifyInstance,
  notFound: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  const paths = new Map<string, KnownPath>();
  app.addHook("onRoute", (route) => {
    const url = route.url ?? route.path;
    let known = paths.get(url);
    if (!known) {
      // ":name" matches one path segment, as fastify's router does.
      const source = url.split("/").map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/");
      known = { pattern: new RegExp(`^${source}$`), methods: new Set() };
      paths.set(url, known);
    }
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) known.methods.add(method);
  });
  return async (request, reply) => {
    const path = request.url.split("?")[0]!;
    const allowed = new Set<string>();
    for (const known of paths.values()) if (known.pattern.test(path)) for (const m of known.methods) allowed.add(m);
    if (allowed.size === 0) return notFound(request, reply);
    const allow = [...allowed].sort().join(", ");
    return reply.code(405).header("allow", allow).send({ error: `${request.method} is not allowed on ${path}; use ${allow}` });
  };
}

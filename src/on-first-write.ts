// Work a process needs only once it is written to, started with the first request that may write
// (any method but GET, HEAD and OPTIONS) rather than at start-up. It runs after that request has
// been handed on, so no request waits for it; reads alone never start it.

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** `fetch`, which calls `start` once, soon after the first request that may write. */
export function onFirstWrite<A extends unknown[], R>(
  fetch: (request: Request, ...rest: A) => R,
  start: () => void
): (request: Request, ...rest: A) => R {
  let started = false
  return (request, ...rest) => {
    if (!started && !READS.has(request.method)) {
      started = true
      setImmediate(start)
    }
    return fetch(request, ...rest)
  }
}

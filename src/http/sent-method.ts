// The method a client really sent, for requests the app rewrites before routing (Laravel routes
// PATCH like PUT): the log and the journal show what was sent.
const sent = new WeakMap<Request, string>()

/** `rewritten` stands for a request that was sent with `method`. */
export function rememberSentMethod(rewritten: Request, method: string): Request {
  sent.set(rewritten, method)
  return rewritten
}

export function sentMethod(request: Request): string {
  return sent.get(request) ?? request.method
}

// The app's router: Hono's TrieRouter with the answer for each method and path kept. The faster
// RegExpRouter cannot take the contract's routes (`calls/page/{call}` beside `calls/{call}/…`
// is a static segment where another route has a parameter), so Hono's SmartRouter fell back to
// the TrieRouter, which walks its tree on every request: about 4% of the CPU of a GET in a
// profile. Hono never changes an answer after matching, so one answer can serve many requests.
import type { Router } from 'hono/router'
import { TrieRouter } from 'hono/router/trie-router'
import { MAX_REMEMBERED_PATHS, pathMemo } from './path-memo.ts'

export function rememberingRouter<T>(
  inner: Router<T> = new TrieRouter<T>(),
  maxPaths = MAX_REMEMBERED_PATHS
): Router<T> {
  const answers = pathMemo((method, path) => inner.match(method, path), maxPaths)
  return {
    name: `${inner.name}, remembered`,
    add(method, path, handler) {
      // A route added after matching (none is today) would change earlier answers.
      answers.clear()
      inner.add(method, path, handler)
    },
    match: (method, path) => answers.get(method, path),
  }
}

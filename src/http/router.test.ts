// The remembering router answers as the TrieRouter does, keeps each answer, stays bounded, and
// forgets its answers when a route is added.
import { describe, expect, it } from 'vitest'
import { TrieRouter } from 'hono/router/trie-router'
import { rememberingRouter } from './router.ts'

function counted() {
  const inner = new TrieRouter<string>()
  let matches = 0
  const match = inner.match.bind(inner)
  inner.match = (method, path) => {
    matches += 1
    return match(method, path)
  }
  return { inner, matches: () => matches }
}

const handlers = (result: ReturnType<TrieRouter<string>['match']>) =>
  result[0].map(([handler, params]) => [handler, { ...params }])

describe('rememberingRouter', () => {
  it('gives the same answers as the TrieRouter, matching each method and path once', () => {
    const { inner, matches } = counted()
    const router = rememberingRouter(inner)
    const plain = new TrieRouter<string>()
    for (const [method, path, handler] of [
      ['ALL', '/api/*', 'mw'],
      ['GET', '/t/:thread/calls/page/:call', 'page'],
      ['GET', '/t/:thread/calls/:call', 'show'],
      ['POST', '/t/:thread/calls/:call/join', 'join'],
    ] as const) {
      router.add(method, path, handler)
      plain.add(method, path, handler)
    }
    for (const [method, path] of [
      ['GET', '/t/a/calls/page/b'],
      ['GET', '/t/a/calls/b'],
      ['POST', '/t/a/calls/b/join'],
      ['GET', '/t/a/calls/b/join'],
      ['GET', '/t/a/calls/b'],
      ['GET', '/t/a/calls/page/b'],
    ] as const) {
      expect(handlers(router.match(method, path))).toEqual(handlers(plain.match(method, path)))
    }
    expect(handlers(router.match('GET', '/t/x/calls/y'))).toEqual([
      ['show', { thread: 'x', call: 'y' }],
    ])
    // Six lookups of four distinct method+path pairs, then one new pair.
    expect(matches()).toBe(5)
  })

  it('starts over for a method past its bound, and forgets everything when a route is added', () => {
    const { inner, matches } = counted()
    const router = rememberingRouter(inner, 2)
    router.add('GET', '/u/:id', 'user')
    router.match('GET', '/u/1')
    router.match('GET', '/u/2')
    router.match('GET', '/u/3') // past the bound: /u/1 and /u/2 are forgotten
    router.match('GET', '/u/3')
    router.match('GET', '/u/1')
    expect(matches()).toBe(4)
    router.add('GET', '/v', 'v')
    router.match('GET', '/u/1')
    expect(matches()).toBe(5)
  })
})

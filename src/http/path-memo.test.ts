// A path memo computes an answer once per method and path, keeps an `undefined` answer too, and
// starts a method over past its bound.
import { describe, expect, it } from 'vitest'
import { pathMemo } from './path-memo.ts'

describe('pathMemo', () => {
  it('computes once per method and path, an undefined answer included', () => {
    const asked: string[] = []
    const memo = pathMemo((method, path) => {
      asked.push(`${method} ${path}`)
      return path === '/none' ? undefined : path.length
    })
    expect(memo.get('GET', '/none')).toBeUndefined()
    expect(memo.get('GET', '/none')).toBeUndefined()
    expect(memo.get('GET', '/ab')).toBe(3)
    expect(memo.get('POST', '/ab')).toBe(3)
    expect(memo.get('GET', '/ab')).toBe(3)
    expect(asked).toEqual(['GET /none', 'GET /ab', 'POST /ab'])
    memo.clear()
    memo.get('GET', '/ab')
    expect(asked).toEqual(['GET /none', 'GET /ab', 'POST /ab', 'GET /ab'])
  })

  it('keeps at most its bound of paths per method', () => {
    let computed = 0
    const memo = pathMemo(() => (computed += 1), 2)
    memo.get('GET', '/1')
    memo.get('GET', '/2')
    memo.get('POST', '/1')
    memo.get('GET', '/3') // GET is full: its answers start over
    memo.get('POST', '/1')
    memo.get('GET', '/1')
    expect(computed).toBe(5)
  })
})

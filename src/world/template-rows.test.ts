// The read model shared by sandboxes still on the default image: one read per value for all of
// them, until a sandbox detaches before its first write.
import { describe, expect, it } from 'vitest'
import { openDb } from '../db/open.ts'
import { createRowCache } from './row-cache.ts'
import { createTemplateRows, sharingTemplateRows, type TemplateRows } from './template-rows.ts'

/** A sandbox's read model over `template`, reading `rows` and counting its reads. */
function sandbox(
  template: TemplateRows,
  rows: Record<string, string | undefined>,
  maxRows?: number
) {
  const reads: string[] = []
  const cache = sharingTemplateRows(createRowCache(openDb(':memory:')), template, maxRows)
  const read = (key: string) => {
    reads.push(key)
    return rows[key] === undefined ? undefined : { value: rows[key] }
  }
  const user = cache.lookup(['users'], read)
  const member = cache.lookup2(['participants'], (a: string, b: string) => read(`${a}/${b}`))
  const configOf = cache.lookup(['world_config'], read)
  const config = () => configOf('config')
  return { cache, reads, user, member, config }
}

const IMAGE = { john: 'John', 't/john': 'member', config: 'on' }

describe('sharingTemplateRows', () => {
  it('reads each value once for every sandbox on the image, by the order lookups are made', () => {
    const template = createTemplateRows()
    const a = sandbox(template, IMAGE)
    const b = sandbox(template, IMAGE)
    const john = a.user('john')
    expect(john).toEqual({ value: 'John' })
    expect(Object.isFrozen(john)).toBe(true)
    expect(b.user('john')).toBe(john)
    expect(a.member('t', 'john')).toBe(b.member('t', 'john'))
    expect(b.config()).toBe(a.config())
    expect(a.user('nobody')).toBeUndefined()
    expect(b.user('nobody')).toBeUndefined()
    expect(a.reads).toEqual(['john', 't/john', 'nobody'])
    expect(b.reads).toEqual(['config'])
  })

  it('answers a detached sandbox from its own reads, and the others still from the image', () => {
    const template = createTemplateRows()
    const a = sandbox(template, IMAGE)
    const john = a.user('john')
    const changed = sandbox(template, { ...IMAGE, john: 'Johnny', 't/john': undefined })
    changed.cache.detach()
    expect(changed.user('john')).toEqual({ value: 'Johnny' })
    expect(changed.member('t', 'john')).toBeUndefined()
    expect(sandbox(template, IMAGE).user('john')).toBe(john)
    expect(sandbox(template, IMAGE).member('t', 'john')).toEqual({ value: 'member' })
  })

  it('detaches when its world is replaced (forget)', () => {
    const template = createTemplateRows()
    sandbox(template, IMAGE).user('john')
    const replaced = sandbox(template, { john: 'Other' })
    replaced.cache.forget()
    expect(replaced.user('john')).toEqual({ value: 'Other' })
  })

  it('starts over past its bound', () => {
    const template = createTemplateRows()
    const a = sandbox(template, IMAGE, 2)
    a.user('john')
    a.config()
    a.member('t', 'john')
    a.user('john')
    expect(a.reads).toEqual(['john', 'config', 't/john', 'john'])
  })

  it('refuses stores built in another order', () => {
    const template = createTemplateRows()
    sandbox(template, IMAGE)
    const other = sharingTemplateRows(createRowCache(openDb(':memory:')), template)
    expect(() => other.lookup(['threads'], () => undefined)).toThrow(/built alike/)
  })
})

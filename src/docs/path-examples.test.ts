// Every path parameter of the contract carries an example from the default world, so "Try it out"
// in /docs works at once and reviewers read real ids: each GET route filled with its examples finds
// what it names (no 404), and the image examples are the pictures the world really has.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { projectFile } from '../paths.ts'
import { createTestMock } from '../testing/harness.ts'
import { readDefaultWorld } from '../world/default-world.ts'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

const spec = parse(readFileSync(projectFile('openapi/openapi.yaml'), 'utf8')) as Obj

function resolve(value: unknown): unknown {
  if (isObj(value) && typeof value['$ref'] === 'string') {
    const node = value['$ref']
      .slice(2)
      .split('/')
      .reduce<unknown>((at, part) => (isObj(at) ? at[part] : undefined), spec)
    return resolve(node)
  }
  return value
}

interface Route {
  method: string
  template: string
  /** The path parameters' examples by name (undefined where one has none). */
  examples: Map<string, unknown>
}

const routes: Route[] = Object.entries(spec['paths'] as Obj).flatMap(([template, item]) => {
  if (!isObj(item)) {
    return []
  }
  return ['get', 'post', 'put', 'patch', 'delete'].flatMap((method) => {
    const op = item[method]
    if (!isObj(op)) {
      return []
    }
    const params = [item['parameters'], op['parameters']]
      .flatMap((list): unknown[] => (Array.isArray(list) ? (list as unknown[]) : []))
      .map(resolve)
      .filter((p): p is Obj => isObj(p) && p['in'] === 'path')
    const examples = new Map(params.map((p) => [String(p['name']), p['example']]))
    return [{ method: method.toUpperCase(), template, examples }]
  })
})

const filled = (route: Route) =>
  route.template.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(String(route.examples.get(name)))
  )

describe('path parameter examples', () => {
  it('exist for every path parameter of every operation', () => {
    const missing = routes.flatMap((route) =>
      [...route.examples]
        .filter(([, example]) => typeof example !== 'string' || example === '')
        .map(([name]) => `${route.method} ${route.template} {${name}}`)
    )
    expect(routes.filter((r) => r.examples.size > 0).length).toBeGreaterThan(10)
    expect(missing).toEqual([])
  })

  it("name what the default world holds: every GET route filled with them finds it (John's login)", async () => {
    const mock = createTestMock()
    const lost: string[] = []
    for (const route of routes.filter((r) => r.method === 'GET' && r.examples.size > 0)) {
      const res = await mock.request(filled(route), { token: 'john' })
      if (res.status === 404 || res.status >= 500) {
        lost.push(`${route.template} → ${filled(route)}: ${res.status}`)
      }
    }
    mock.worlds.close()
    expect(lost).toEqual([])
  })

  it("use the owner's avatar and the group's picture for the image routes", () => {
    const world = readDefaultWorld()
    for (const route of routes.filter((r) => r.examples.has('image'))) {
      const image = route.examples.get('image')
      const owner = route.examples.has('thread')
        ? world.threads.find((t) => t.id === route.examples.get('thread'))?.image
        : world.users.find((u) => u.id === route.examples.get('id'))?.avatar
      expect(image, route.template).toBe(owner)
    }
  })
})

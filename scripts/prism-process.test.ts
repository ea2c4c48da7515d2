// Tests that startPrism serves a spec's example, frees its port on stop, and that the --errors proxy
// turns contract violations into errors the client sees.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { portTaken, startPrism } from './prism-process.ts'
import type { RunningPrism } from './prism-process.ts'

const EXAMPLE = { id: 1, name: 'Thing one' }

// One GET operation with an example; `id` is an integer both in the path and in the body.
const SPEC = `openapi: 3.1.0
info: { title: prism-process test, version: '1' }
paths:
  /things/{id}:
    get:
      operationId: showThing
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
      responses:
        '200':
          description: A thing.
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties: { id: { type: integer }, name: { type: string } }
              example: ${JSON.stringify(EXAMPLE)}
`

type Problem = {
  type: string
  status: number
  validation?: { location: string[]; severity: string; code: string; message: string }[]
}

let dir = ''
let mock: RunningPrism | undefined
let proxy: RunningPrism | undefined
let upstream: Server | undefined
// Paths the upstream saw, to tell what Prism forwarded from what it answered itself.
const forwarded: string[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prism-process-'))
  const spec = join(dir, 'openapi.yaml')
  await writeFile(spec, SPEC)
  // Breaks the contract: `id` comes back as a string.
  const server = createServer((req, res) => {
    forwarded.push(req.url ?? '')
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ id: 'one', name: 'Thing one' }))
  })
  upstream = server
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  // Both start at once: Prism's start-up dominates this file's run time.
  ;[mock, proxy] = await Promise.all([
    startPrism({ mode: 'mock', spec, logLevel: 'error' }),
    startPrism({
      mode: 'proxy',
      spec,
      upstream: `http://127.0.0.1:${port}`,
      errors: true,
      logLevel: 'error',
    }),
  ])
})

afterAll(async () => {
  await Promise.all([mock?.stop(), proxy?.stop()])
  await new Promise((resolve) => upstream?.close(resolve))
  if (dir !== '') {
    await rm(dir, { recursive: true, force: true })
  }
})

function running(prism: RunningPrism | undefined): RunningPrism {
  if (prism === undefined) {
    throw new Error('Prism did not start')
  }
  return prism
}

describe('startPrism in mock mode', () => {
  it('serves the example of the operation', async () => {
    const prism = running(mock)
    expect(prism.url).toBe(`http://127.0.0.1:${prism.port}`)
    expect(prism.readyMs).toBeGreaterThan(0)
    const res = await fetch(`${prism.url}/things/7`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(EXAMPLE)
  })

  it('stops, and its port is free again', async () => {
    const prism = running(mock)
    await prism.stop()
    expect(await portTaken(prism.port)).toBe(false)
    await prism.stop() // a second stop is harmless
  })
})

describe('startPrism in proxy mode with --errors', () => {
  it('turns a response that breaks the contract into a 500 VIOLATIONS problem', async () => {
    const res = await fetch(`${running(proxy).url}/things/1`)
    expect(forwarded).toContain('/things/1')
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const problem = (await res.json()) as Problem
    expect(problem.type).toBe('https://stoplight.io/prism/errors#VIOLATIONS')
    expect(problem.validation).toEqual([
      {
        location: ['response', 'body', 'id'],
        severity: 'Error',
        code: 'type',
        message: 'Response body property id must be integer',
      },
    ])
    // The same list rides along in a header, as in Prism's non-errors mode.
    const header = JSON.parse(res.headers.get('sl-violations') ?? '[]') as unknown
    expect(header).toEqual(problem.validation)
  })

  it('answers an invalid request with 422 itself, without forwarding it', async () => {
    const res = await fetch(`${running(proxy).url}/things/abc`)
    expect(res.status).toBe(422)
    const problem = (await res.json()) as Problem
    expect(problem.type).toBe('https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY')
    expect(problem.validation?.map((v) => v.location)).toEqual([['path', 'id']])
    expect(forwarded).not.toContain('/things/abc')
  })

  it('answers a path missing from the spec with 404 itself, without forwarding it', async () => {
    const res = await fetch(`${running(proxy).url}/not-in-the-spec`)
    expect(res.status).toBe(404)
    expect(((await res.json()) as Problem).type).toBe(
      'https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR'
    )
    expect(forwarded).not.toContain('/not-in-the-spec')
  })
})

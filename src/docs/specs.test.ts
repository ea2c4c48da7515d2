// The parsed specs: read only when a request needs one, from the JSON copy `npm run generate`
// writes when it was made from the YAML as it is, else from the YAML itself.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { useLiveMock } from '../controls/testing.ts'
import { IDS } from '../testing/harness.ts'
import { useTempDir } from '../testing/temp-dir.ts'
import { readSpecDocument, SPECS, specCopy, specObject, specsRead } from './specs.ts'

const yamlOf = (which: 'messenger' | 'control') =>
  parse(readFileSync(fileURLToPath(SPECS[which]), 'utf8')) as unknown

describe('specObject', () => {
  const mock = useLiveMock()

  it('reads no spec until a request needs one, then answers the first Prefer request', async () => {
    const health = await mock.send('GET', '/mock/health')
    const settings = await mock.send('GET', '/api/messenger/settings', { token: 'john' })
    const docs = await mock.send('GET', '/openapi.yaml')
    expect([health.status, settings.status, docs.status]).toEqual([200, 200, 200])
    expect(specsRead()).toEqual([])

    const calls = `/api/messenger/threads/${IDS.johnJairo}/calls`
    const forced = await mock.send('GET', calls, {
      token: 'john',
      sandbox: 'first-prefer',
      headers: { Prefer: 'code=404' },
    })
    expect(forced.status).toBe(404)
    expect(forced.body).toEqual({
      message:
        'No query results for model [RTippin\\Messenger\\Models\\Thread] 00000000-0000-4000-8000-000000000000',
    })
    expect(specsRead()).toEqual(['messenger'])
  })

  it('answers each contract as the YAML parser reads it', async () => {
    expect(await specObject('messenger')).toEqual(yamlOf('messenger'))
    expect(await specObject('control')).toEqual(yamlOf('control'))
  })
})

describe('readSpecDocument', () => {
  const dir = useTempDir('specs-')
  const YAML = 'openapi: 3.1.0\ninfo: { title: From the YAML }\n'

  const files = (copy?: string) => {
    const yamlPath = join(dir(), 'spec.yaml')
    const copyPath = join(dir(), 'spec.json')
    writeFileSync(yamlPath, YAML)
    if (copy !== undefined) {
      writeFileSync(copyPath, copy)
    }
    return [yamlPath, copyPath] as const
  }

  it('takes the JSON copy made from these very YAML bytes', async () => {
    // A copy that differs from the YAML shows which one was read.
    const copy = specCopy(Buffer.from(YAML), { info: { title: 'From the copy' } })
    expect(await readSpecDocument(...files(copy))).toEqual({ info: { title: 'From the copy' } })
  })

  it('parses the YAML when the copy was made from other bytes, or there is none', async () => {
    const stale = specCopy(Buffer.from(`${YAML}# edited\n`), { info: { title: 'From the copy' } })
    const fromYaml = { openapi: '3.1.0', info: { title: 'From the YAML' } }
    expect(await readSpecDocument(...files(stale))).toEqual(fromYaml)
    expect(await readSpecDocument(...files())).toEqual(fromYaml)
  })
})

// The AsyncAPI document's own tests: it parses and validates with @asyncapi/parser, it declares every
// call event of the backend on the user's private channel, and each example matches its schema.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DiagnosticSeverity } from '@asyncapi/parser'
import { describe, expect, it } from 'vitest'
import {
  ASYNCAPI_FILE,
  broadcastValidator,
  parseBroadcasts,
} from '../src/testing/broadcast-validator.ts'

const CALL_EVENTS = ['incoming.call', 'joined.call', 'left.call', 'call.ended', 'call.kicked']

describe('openapi/broadcasts.asyncapi.yaml', () => {
  it('parses with no errors or warnings beyond the version hint', async () => {
    const { document, diagnostics } = await parseBroadcasts()
    const problems = diagnostics
      .filter((d) => d.code !== 'asyncapi-latest-version')
      .map((d) => `${d.code} ${d.message} at ${d.path.join('.')}`)
    expect(problems).toEqual([])
    expect(document?.version()).toBe('3.0.0')
  })

  it('declares the channels of the backend and every call event on the private user channel', async () => {
    const { document } = await parseBroadcasts()
    const addresses =
      document
        ?.allChannels()
        .all()
        .map((channel) => channel.address()) ?? []
    expect(addresses.sort()).toEqual([
      'presence-call.{call}.thread.{thread}',
      'presence-thread.{thread}',
      'private-user.{id}',
    ])
    const user = document
      ?.allChannels()
      .all()
      .find((c) => c.address() === 'private-user.{id}')
    const names = user
      ?.messages()
      .all()
      .map((message) => message.name())
    expect(names?.sort()).toEqual([...CALL_EVENTS].sort())
    // Each operation receives (the server sends; clients never publish these).
    for (const operation of document?.allOperations().all() ?? []) {
      expect(operation.action(), operation.id()).toBe('receive')
    }
  })

  it('has one example per event, valid against its payload schema', async () => {
    const { document } = await parseBroadcasts()
    const validator = await broadcastValidator()
    for (const message of document?.allMessages().all() ?? []) {
      const name = message.name() ?? ''
      const examples = message.examples().all()
      expect(examples.length, name).toBeGreaterThanOrEqual(1)
      for (const example of examples) {
        expect(
          validator.errors(name, example.payload()),
          `${name} ${example.name() ?? ''}`
        ).toEqual([])
      }
    }
  })

  it('the payload validator refuses a payload that breaks its schema', async () => {
    const validator = await broadcastValidator()
    const good = {
      thread_id: '92313cf7-b356-4d74-944c-c799fcfc3b1e',
      call_id: '9231616a-43ad-4232-ba58-0d79f0b89871',
      kicked: true,
    }
    expect(validator.errors('call.kicked', good)).toEqual([])
    expect(validator.errors('call.kicked', { ...good, kicked: 'yes' })).not.toEqual([])
    expect(validator.errors('call.kicked', { ...good, extra: 1 })).not.toEqual([])
    expect(validator.errors('incoming.call', { call: {} })).not.toEqual([])
  })

  it('a broken document fails the parser (the check can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asyncapi-'))
    const text = readFileSync(ASYNCAPI_FILE, 'utf8').replace(
      "$ref: '#/channels/user'",
      "$ref: '#/channels/nowhere'"
    )
    writeFileSync(join(dir, 'broken.yaml'), text)
    writeFileSync(
      join(dir, 'openapi.yaml'),
      readFileSync(new URL('./openapi.yaml', import.meta.url))
    )
    const { document, diagnostics } = await parseBroadcasts(join(dir, 'broken.yaml'))
    expect(document).toBeUndefined()
    expect(diagnostics.map((d) => d.severity)).toContain(DiagnosticSeverity.Error)
  })
})

// Tests for the spec-based response validator on a small hand-made OpenAPI 3.1 document.
import { describe, expect, it } from 'vitest'
import { createSpecValidator } from './schema.ts'

const json = (schema: object) => ({ 'application/json': { schema } })

const SPEC = {
  openapi: '3.1.0',
  info: { title: 'mini messenger', version: '1.0.0' },
  servers: [{ url: 'http://localhost:8000' }],
  tags: [{ name: 'calls' }],
  paths: {
    '/api/messenger/threads/{thread}/calls/{call}': {
      get: {
        operationId: 'getCall',
        tags: ['calls'],
        'x-internal-note': 'extensions are legal anywhere',
        responses: {
          '200': { description: 'the call', content: json({ $ref: '#/components/schemas/Call' }) },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
    },
    '/api/messenger/threads/{thread}/calls': {
      get: {
        operationId: 'listCalls',
        responses: {
          '2XX': {
            description: 'a page of calls',
            content: json({
              type: 'object',
              required: ['data'],
              properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Call' } } },
            }),
          },
        },
      },
      post: {
        operationId: 'createCall',
        responses: {
          '201': { description: 'created', content: json({ $ref: '#/components/schemas/Call' }) },
          default: { $ref: '#/components/responses/Error' },
        },
      },
    },
    '/api/messenger/avatar': {
      delete: { operationId: 'removeAvatar', responses: { '204': { description: 'gone' } } },
    },
    '/api/messenger/images/{alias}/{id}/{size}/{file}': {
      get: {
        operationId: 'getImage',
        responses: {
          '200': {
            description: 'an image',
            content: { 'image/*': { schema: { type: 'string', contentMediaType: 'image/png' } } },
          },
        },
      },
    },
    '/broken': {
      get: {
        operationId: 'getBroken',
        responses: {
          '200': { description: 'bad schema', content: json({ type: 'object', colour: 'red' }) },
        },
      },
    },
  },
  components: {
    schemas: {
      Call: {
        type: 'object',
        required: ['id', 'active', 'type', 'type_verbose', 'created_at', 'owner', 'options'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', format: 'uuid', example: '9231616a-43ad-4232-ba58-0d79f0b89871' },
          active: { type: 'boolean' },
          type: { type: 'integer', enum: [1] },
          type_verbose: { type: 'string', enum: ['VIDEO'] },
          created_at: { type: 'string', format: 'date-time' },
          owner: { $ref: '#/components/schemas/Owner' },
          options: {
            type: ['object', 'null'],
            'x-nullable-reason': 'only on active calls',
            properties: { admin: { type: 'boolean' } },
          },
        },
      },
      Owner: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, route: { type: ['string', 'null'] } },
      },
      Message: {
        type: 'object',
        required: ['message'],
        additionalProperties: false,
        properties: { message: { type: 'string' } },
      },
    },
    responses: {
      NotFound: {
        description: 'not found',
        content: json({ $ref: '#/components/schemas/Message' }),
      },
      Error: { $ref: '#/components/responses/NotFound' },
    },
  },
}

const CALL = {
  id: '9231616a-43ad-4232-ba58-0d79f0b89871',
  active: true,
  type: 1,
  type_verbose: 'VIDEO',
  created_at: '2020-12-08T06:10:54.000000Z',
  owner: { name: 'John Doe', route: null },
  options: { admin: true },
}

const JSON_TYPE = 'application/json'

function callWith(
  changes: Record<string, unknown>,
  without: string[] = []
): Record<string, unknown> {
  const call: Record<string, unknown> = { ...structuredClone(CALL), ...changes }
  for (const key of without) {
    Reflect.deleteProperty(call, key)
  }
  return call
}

describe('createSpecValidator', () => {
  const validator = createSpecValidator(SPEC)
  /** The schema failures of a getCall answer changed from the documented call (see callWith). */
  const callFailures = (changes: Record<string, unknown>, without: string[] = []) =>
    validator.validateResponse('getCall', 200, JSON_TYPE, callWith(changes, without))

  it('accepts a valid body, with a charset in the content type', () => {
    expect(
      validator.validateResponse('getCall', 200, 'application/json; charset=utf-8', CALL)
    ).toEqual([])
    expect(callFailures({ options: null })).toEqual([])
  })

  it('knows the operations and their explicit statuses', () => {
    expect(validator.hasOperation('getCall')).toBe(true)
    expect(validator.hasOperation('deleteEverything')).toBe(false)
    expect(validator.documentedStatuses('getCall')).toEqual([200, 404])
    expect(validator.documentedStatuses('createCall')).toEqual([201])
    expect(validator.documentedStatuses('nope')).toEqual([])
  })

  it('reports a malformed uuid with its path, keyword and place in the document', () => {
    const failures = callFailures({ id: 'abc' })
    expect(failures).toEqual([
      {
        check: 'schema',
        path: '$.id',
        message:
          'must match format "uuid" (format at #/components/schemas/Call/properties/id/format)',
        actual: 'abc',
      },
    ])
  })

  it('reports a malformed date-time', () => {
    const failures = callFailures({ created_at: 'yesterday' })
    expect(failures.map((f) => [f.path, f.message])).toEqual([
      [
        '$.created_at',
        'must match format "date-time" (format at #/components/schemas/Call/properties/created_at/format)',
      ],
    ])
  })

  it('reports a value outside an enum', () => {
    const failures = callFailures({ type_verbose: 'AUDIO' })
    expect(failures).toEqual([
      expect.objectContaining({
        path: '$.type_verbose',
        message:
          'must be equal to one of the allowed values (enum at #/components/schemas/Call/properties/type_verbose/enum)',
        actual: 'AUDIO',
      }),
    ])
  })

  it('points a missing required property at the property itself', () => {
    const failures = callFailures({}, ['active'])
    expect(failures).toEqual([
      {
        check: 'schema',
        path: '$.active',
        message:
          "must have required property 'active' (required at #/components/schemas/Call/required)",
      },
    ])
  })

  it('points an additional property at the property itself', () => {
    const failures = callFailures({ extra: 42 })
    expect(failures).toEqual([
      {
        check: 'schema',
        path: '$.extra',
        message:
          'must NOT have additional properties (additionalProperties at #/components/schemas/Call/additionalProperties)',
        actual: 42,
      },
    ])
  })

  it('follows $ref to components/schemas, and reports every error', () => {
    const failures = callFailures({ owner: { name: 7 }, type: '1' })
    // '1' breaks both the type and the enum of $.type: every error is reported, not just the first.
    expect(failures.map((f) => `${f.path} ${f.message.split(' (')[0] ?? ''}`)).toEqual([
      '$.type must be integer',
      '$.type must be equal to one of the allowed values',
      '$.owner.name must be string',
    ])
    expect(failures[2]?.message).toBe(
      'must be string (type at #/components/schemas/Owner/properties/name/type)'
    )
  })

  it('uses array indexes in paths, and names an inline schema by its place under paths', () => {
    const body = { data: [CALL, callWith({ id: 'nope' })] }
    const failures = validator.validateResponse('listCalls', 200, JSON_TYPE, body)
    expect(failures.map((f) => f.path)).toEqual(['$.data[1].id'])
    const inline = validator.validateResponse('listCalls', 200, JSON_TYPE, { data: {} })
    expect(inline.map((f) => f.message)).toEqual([
      'must be array (type at #/paths/~1api~1messenger~1threads~1{thread}~1calls/get/responses/2XX/content/application~1json/schema/properties/data/type)',
    ])
  })

  it('resolves a response $ref to components/responses, even through a chain', () => {
    expect(
      validator.validateResponse('getCall', 404, JSON_TYPE, { message: 'No query results' })
    ).toEqual([])
    const wrong = validator.validateResponse('getCall', 404, JSON_TYPE, { message: 404 })
    expect(wrong.map((f) => [f.path, f.message])).toEqual([
      [
        '$.message',
        'must be string (type at #/components/schemas/Message/properties/message/type)',
      ],
    ])
    expect(
      validator.validateResponse('createCall', 500, JSON_TYPE, { error: 'boom' }).map((f) => f.path)
    ).toEqual(['$.message', '$.error'])
  })

  it('fails a status the spec does not document, and falls back to default and ranges', () => {
    expect(validator.validateResponse('getCall', 418, JSON_TYPE, {})).toEqual([
      { check: 'schema', path: '$', message: 'status 418 is not documented for getCall' },
    ])
    expect(
      validator.validateResponse('createCall', 422, JSON_TYPE, { message: 'invalid' })
    ).toEqual([])
    expect(validator.validateResponse('listCalls', 206, JSON_TYPE, { data: [] })).toEqual([])
  })

  it('fails an unknown operation and an undocumented content type', () => {
    expect(validator.validateResponse('getX', 200, JSON_TYPE, {})).toEqual([
      { check: 'schema', path: '$', message: 'operation getX is not in the spec' },
    ])
    expect(validator.validateResponse('getCall', 200, 'text/html', '<html>')).toEqual([
      expect.objectContaining({
        message:
          'content type text/html is not documented for getCall 200 (documented: application/json)',
      }),
    ])
  })

  it('expects no body where none is documented', () => {
    expect(validator.validateResponse('removeAvatar', 204, '', undefined)).toEqual([])
    expect(
      validator.validateResponse('removeAvatar', 204, JSON_TYPE, { message: 'success' })
    ).toEqual([
      expect.objectContaining({
        message: 'status 204 of removeAvatar documents no body, but one was sent',
      }),
    ])
  })

  it('checks only the media type of a binary response', () => {
    expect(validator.validateResponse('getImage', 200, 'image/png', 'PNG bytes')).toEqual([])
    expect(validator.validateResponse('getImage', 200, JSON_TYPE, {})).toHaveLength(1)
  })

  it('compiles lazily, in strict mode, and reports a broken schema as a failure', () => {
    // createSpecValidator did not compile getBroken's schema, or it would have thrown.
    const failures = validator.validateResponse('getBroken', 200, JSON_TYPE, {})
    expect(failures).toHaveLength(1)
    expect(failures[0]?.check).toBe('schema')
    expect(failures[0]?.message).toMatch(/does not compile: .*colour/)
    expect(validator.validateResponse('getBroken', 200, JSON_TYPE, {})).toEqual(failures)
  })
})

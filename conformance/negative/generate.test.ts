// The generated checks come from the contract alone: every operation gets its cases, the same seed
// gives the same cases, and --max-cases bounds them without losing a kind.
import { describe, expect, it } from 'vitest'
import { readContract } from '../contract.ts'
import { readSpec } from '../testing/suite.ts'
import type { RequestStep } from '../scenario.ts'
import { NEGATIVE_KINDS, generateNegative, limitCases } from './generate.ts'

const spec = readSpec()
const operations = readContract(spec)
const steps = (seed: number) =>
  generateNegative(spec, operations, seed).scenarios.flatMap((s) => s.steps as RequestStep[])

describe('generated negative checks', () => {
  it('cover every operation that needs a login, twice, and every thread-scoped one', () => {
    const { scenarios } = generateNegative(spec, operations, 1)
    const auth = scenarios.find((s) => s.name === 'negative: authentication')?.steps ?? []
    const needLogin = operations.filter((op) => op.authRequired)
    expect(auth).toHaveLength(needLogin.length * 2)
    expect(needLogin.map((op) => op.operationId)).toContain('renderGroupAvatarApi')
    expect(
      operations
        .filter((op) => !op.authRequired)
        .map((op) => op.operationId)
        .sort()
    ).toEqual(['renderProviderAvatar', 'showInvite'])
    const outsider = (scenarios.find((s) => s.name === 'negative: authorization')?.steps ?? [])
      .filter((s) => s.name.endsWith('as an outsider'))
      .map((s) => (s as RequestStep).operationId)
    expect(outsider).toEqual(
      operations.filter((op) => op.path.includes('{thread}')).map((op) => op.operationId)
    )
  })

  it('break one body constraint at a time, expecting the documented text', () => {
    const kick = steps(1).filter(
      (s) => s.operationId === 'updateCallParticipant' && s.kind === 'bodies'
    )
    expect(kick.map((s) => [s.name, s.request.body, s.expect.validation])).toEqual([
      [
        'updateCallParticipant with kicked missing',
        {},
        { field: 'kicked', texts: ['The kicked field is required.'] },
      ],
      [
        'updateCallParticipant with kicked not a boolean',
        { kicked: expect.not.stringMatching(/^(true|false|0|1)$/) as unknown },
        { field: 'kicked', texts: ['The kicked field must be true or false.'] },
      ],
    ])
    const invite = steps(1).filter((s) => s.operationId === 'storeInvite' && s.kind === 'bodies')
    expect(
      invite.find((s) => s.name === 'storeInvite with uses above its maximum')?.request.body
    ).toEqual({
      expires: 7,
      uses: 101,
    })
  })

  it('repeat exactly with the same seed, and vary the generated values with another', () => {
    expect(steps(42)).toEqual(steps(42))
    const names = (list: RequestStep[]) => list.map((s) => s.name)
    expect(names(steps(43))).toEqual(names(steps(42)))
    expect(JSON.stringify(steps(43))).not.toEqual(JSON.stringify(steps(42)))
  })

  it('--max-cases keeps at most that many cases, from every kind, by the seed', () => {
    const { scenarios } = generateNegative(spec, operations, 5)
    const limited = limitCases(scenarios, 10, 5)
    const cases = limited.flatMap((s) => s.steps).filter((s) => !('collectSecrets' in s))
    expect(cases).toHaveLength(10)
    for (const kind of NEGATIVE_KINDS) {
      expect(limited.find((s) => s.name === `negative: ${kind}`)?.steps.length).toBeGreaterThan(0)
    }
    expect(limitCases(scenarios, 10, 5)).toEqual(limited)
  })
})

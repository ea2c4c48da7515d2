// Loads what the CLI loads (spec, pairs, scenarios, documented world) for in-process test runs.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { runSuite } from '../run.ts'
import type { DocumentedPair, RunOptions } from '../run.ts'
import { readScenarios } from '../scenario.ts'
import type { TargetProfile } from '../scenario.ts'
import { createSpecValidator } from '../schema.ts'
import type { SuiteResult } from '../types.ts'

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))
const readJson = (path: string): unknown => JSON.parse(readFileSync(root(path), 'utf8'))

export function readFixtureProfile(name: string): TargetProfile {
  return readJson(`fixtures/conformance/${name}.json`) as TargetProfile
}

/** Runs the real scenarios against `baseUrl`, as the CLI would. */
export function runAgainst(
  baseUrl: string,
  options: Partial<Omit<RunOptions, 'baseUrl'>> = {}
): Promise<SuiteResult> {
  return runSuite({
    baseUrl,
    level: 'full',
    scenarios: readScenarios(root('fixtures/scenarios')),
    profile: undefined,
    documentedWorld: readFixtureProfile('documented-world'),
    pairs: readJson('fixtures/documented-pairs.json') as DocumentedPair[],
    validator: createSpecValidator(
      parse(readFileSync(root('openapi/openapi.yaml'), 'utf8')) as object
    ),
    waitForSeconds: 0,
    ...options,
  })
}

export const CLI = root('conformance/cli.ts')

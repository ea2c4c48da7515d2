// Loads what the CLI loads (spec, pairs, scenarios, documented world) for in-process test runs.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { broadcastExamples } from '../broadcasts.ts'
import { readContract } from '../contract.ts'
import { computeCoverage } from '../coverage.ts'
import { planRun } from '../plan.ts'
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

export const readSpec = (): object =>
  parse(readFileSync(root('openapi/openapi.yaml'), 'utf8')) as object

/** The seed of test runs: fixed, so a failure can be repeated with `--seed 7`. */
export const TEST_SEED = 7

/** Runs what the CLI would at this level (default full: scenarios and generated checks). */
export async function runAgainst(
  baseUrl: string,
  options: Partial<Omit<RunOptions, 'baseUrl'>> & { maxCases?: number } = {}
): Promise<SuiteResult> {
  const spec = readSpec()
  const { maxCases, ...rest } = options
  const level = options.level ?? 'full'
  const seed = options.seed ?? TEST_SEED
  const plan = planRun({
    level,
    spec,
    scenarios: readScenarios(root('fixtures/scenarios')),
    seed,
    maxCases,
  })
  const result = await runSuite({
    baseUrl,
    level,
    scenarios: plan.scenarios,
    seed,
    ...(plan.generated === undefined ? {} : { generated: plan.generated }),
    profile: undefined,
    documentedWorld: readFixtureProfile('documented-world'),
    pairs: readJson('fixtures/documented-pairs.json') as DocumentedPair[],
    validator: createSpecValidator(spec),
    broadcastExamples: broadcastExamples(
      parse(readFileSync(root('openapi/broadcasts.asyncapi.yaml'), 'utf8'))
    ),
    waitForSeconds: 0,
    ...rest,
  })
  return { ...result, coverage: computeCoverage(readContract(spec), result.steps) }
}

export const CLI = root('conformance/cli.ts')

// The conformance CLI: `npm run conformance -- --base-url URL [options]`. Parses flags, loads the
// contract, fixtures and scenarios, runs the suite, writes the reports and decides the exit code.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { HELP, compileOnly, parseCliArgs } from './args.ts'
import { broadcastExamples } from './broadcasts.ts'
import { mergeComparison } from './compare.ts'
import { readContract } from './contract.ts'
import { computeCoverage } from './coverage.ts'
import { decideExit } from './exit.ts'
import { readProfile } from './profile.ts'
import { formatFailures, formatStepLine, formatSummary } from './reporters/console.ts'
import { toJson } from './reporters/json.ts'
import { toJUnitXml } from './reporters/junit.ts'
import { randomSeed } from './negative/random.ts'
import { caseIds, planRun } from './plan.ts'
import { runSuite } from './run.ts'
import type { DocumentedPair, RunOptions } from './run.ts'
import { readScenarios } from './scenario.ts'
import type { TargetProfile } from './scenario.ts'
import { createSpecValidator } from './schema.ts'
import { ID_SEPARATOR } from './types.ts'
import type { StepResult } from './types.ts'

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

async function main(argv: string[]): Promise<number> {
  const args = parseCliArgs(argv, process.env)
  if ('error' in args) {
    console.error(`messenger-conformance: ${args.error}\n\n${HELP}`)
    return 2
  }
  if (args.help) {
    console.log(HELP)
    return 0
  }
  let profile: TargetProfile | undefined
  if (args.config !== undefined) {
    const read = readProfile(resolve(args.config))
    if ('error' in read) {
      console.error(`messenger-conformance: ${read.error}`)
      return 2
    }
    profile = read.profile
  }
  const spec = parse(readFileSync(root('openapi/openapi.yaml'), 'utf8')) as object
  const seed = args.seed ?? randomSeed()
  const only = args.only === undefined ? undefined : compileOnly(args.only)
  const plan = planRun({
    level: args.level,
    spec,
    scenarios: readScenarios(root('fixtures/scenarios')),
    seed,
    maxCases: args.maxCases,
  })
  if (args.list) {
    const ids = caseIds(plan).filter((id) => {
      const [scenario = '', step = ''] = id.split(ID_SEPARATOR)
      return only === undefined || only(scenario, step)
    })
    console.log(ids.join('\n'))
    return ids.length > 0 ? 0 : 2
  }
  const color = process.stdout.isTTY && !('NO_COLOR' in process.env)
  const console_ = args.reporters.includes('console')
  const live = console_ && args.compareWith === undefined
  const run = (baseUrl: string, onStep: RunOptions['onStep']) =>
    runSuite({
      baseUrl,
      level: args.level,
      scenarios: plan.scenarios,
      seed,
      ...(plan.generated === undefined ? {} : { generated: plan.generated }),
      profile,
      documentedWorld: JSON.parse(
        readFileSync(root('fixtures/conformance/documented-world.json'), 'utf8')
      ) as TargetProfile,
      pairs: JSON.parse(
        readFileSync(root('fixtures/documented-pairs.json'), 'utf8')
      ) as DocumentedPair[],
      validator: createSpecValidator(spec),
      broadcastExamples: broadcastExamples(
        parse(readFileSync(root('openapi/broadcasts.asyncapi.yaml'), 'utf8'))
      ),
      only,
      waitForSeconds: args.waitForSeconds,
      controlUrl: baseUrl === args.baseUrl ? args.controlUrl : undefined,
      controlToken: args.controlToken,
      onStep,
    })
  const printStep = (step: StepResult) => {
    console.log(formatStepLine(step, { color }))
    if (step.failures.length > 0) {
      console.log(formatFailures(step, { color }))
    }
  }
  let result = await run(args.baseUrl, live ? printStep : undefined)
  if (args.compareWith !== undefined && result.fatal === undefined) {
    // The second target plays the same steps (same seed); then each step's answers are compared.
    const other = await run(args.compareWith, undefined)
    result =
      other.fatal === undefined
        ? mergeComparison(result, other)
        : { ...result, fatal: `--compare-with: ${other.fatal}` }
    if (console_) {
      result.steps.forEach(printStep)
    }
  }
  result = { ...result, coverage: computeCoverage(readContract(spec), result.steps) }
  const files: string[] = []
  if (args.reporters.includes('json') || args.reporters.includes('junit')) {
    mkdirSync(args.output, { recursive: true })
    if (args.reporters.includes('json')) {
      files.push(join(args.output, 'conformance.json'))
      writeFileSync(
        files[files.length - 1] ?? '',
        toJson(result, { minCoverage: args.minCoverage })
      )
    }
    if (args.reporters.includes('junit')) {
      files.push(join(args.output, 'conformance.junit.xml'))
      writeFileSync(files[files.length - 1] ?? '', toJUnitXml(result))
    }
  }
  const exit = decideExit(result, { minCoverage: args.minCoverage })
  if (console_) {
    for (const file of files) {
      console.log(`wrote ${file}`)
    }
    console.log(formatSummary(result, { color }))
  }
  if (exit.code !== 0) {
    console.error(`messenger-conformance: ${exit.reason}`)
  }
  return exit.code
}

process.exitCode = await main(process.argv.slice(2))

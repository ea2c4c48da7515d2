// Tests for the conformance CLI's argument parsing and the --only filter.
import { describe, expect, it } from 'vitest'
import { compileOnly, HELP, parseCliArgs } from './args.ts'

const BASE = ['--base-url', 'http://127.0.0.1:8000']

describe('parseCliArgs', () => {
  it('fills in the defaults', () => {
    expect(parseCliArgs(BASE, {})).toEqual({
      help: false,
      baseUrl: 'http://127.0.0.1:8000',
      reporters: ['console'],
      output: 'reports',
      waitForSeconds: 0,
      level: 'full',
      list: false,
    })
  })

  it('reads every option', () => {
    expect(
      parseCliArgs([
        '--base-url=https://api.example.test/prefix/',
        '--config',
        'conformance.config.json',
        '--reporter',
        'console,junit',
        '--reporter',
        'json',
        '--reporter',
        'junit',
        '--output',
        'out/reports',
        '--only',
        'calls*',
        '--wait-for',
        '2.5',
        '--level',
        'schema',
        '--seed',
        '42',
        '--max-cases',
        '30',
        '--min-coverage',
        '85.5',
        '--compare-with',
        'http://127.0.0.1:9000/',
        '--control-url',
        'http://127.0.0.1:8000',
      ])
    ).toEqual({
      help: false,
      baseUrl: 'https://api.example.test/prefix',
      config: 'conformance.config.json',
      reporters: ['console', 'junit', 'json'],
      output: 'out/reports',
      only: 'calls*',
      waitForSeconds: 2.5,
      level: 'schema',
      list: false,
      seed: 42,
      maxCases: 30,
      minCoverage: 85.5,
      compareWith: 'http://127.0.0.1:9000',
      controlUrl: 'http://127.0.0.1:8000',
    })
  })

  it('lists the cases without needing a base URL', () => {
    expect(parseCliArgs(['--list', '--level', 'negative'])).toMatchObject({
      list: true,
      baseUrl: '',
      level: 'negative',
    })
  })

  it.each([
    [['--seed', '-1'], /--seed/],
    [['--seed', '1.5'], /whole numbers/],
    [['--max-cases', 'many'], /--max-cases must be a number/],
    [['--min-coverage', '101'], /--min-coverage must be a number from 0 to 100/],
    [['--compare-with', 'nope'], /--compare-with is not a valid URL/],
  ])('rejects %j with a one-line error', (extra, message) => {
    const parsed = parseCliArgs([...BASE, ...extra])
    expect('error' in parsed && parsed.error).toMatch(message)
  })

  it('answers help without needing a base URL', () => {
    expect(parseCliArgs(['--help'])).toEqual({ help: true })
    expect(parseCliArgs(['-h', '--level', 'bogus'])).toEqual({ help: true })
    expect(HELP).toContain('--base-url URL')
    for (const flag of ['--config', '--reporter', '--output', '--only', '--wait-for', '--level']) {
      expect(HELP).toContain(flag)
    }
  })

  it.each([
    [[], 'missing --base-url (e.g. --base-url http://127.0.0.1:8000)'],
    [['--base-url'], 'option --base-url needs a value'],
    [['--base-url', 'not a url'], '--base-url is not a valid URL: "not a url"'],
    [['--base-url', 'ftp://host'], '--base-url must be http or https, got "ftp://host"'],
    [
      ['--base-url', 'http://h/?x=1'],
      '--base-url must not have a query or fragment, got "http://h/?x=1"',
    ],
    [[...BASE, '--bogus'], 'unknown option --bogus'],
    [[...BASE, 'extra'], 'unexpected argument "extra"'],
    [[...BASE, '--help=yes'], 'option --help does not take a value'],
    [[...BASE, '--level', 'deep'], '--level must be one of full, schema, negative, got "deep"'],
    [[...BASE, '--reporter', 'html'], 'unknown reporter "html" (expected console, json, junit)'],
    [[...BASE, '--reporter', ','], '--reporter needs a name: console, json, junit'],
    [[...BASE, '--wait-for', 'soon'], '--wait-for must be a number of seconds ≥ 0, got "soon"'],
    [
      [...BASE, '--wait-for', '-1'],
      'option --wait-for needs a value (write --wait-for=VALUE for one starting with "-")',
    ],
    [[...BASE, '--wait-for=-1'], '--wait-for must be a number of seconds ≥ 0, got "-1"'],
    [[...BASE, '--wait-for', ''], '--wait-for must be a number of seconds ≥ 0, got ""'],
    [[...BASE, '--output', ''], '--output needs a non-empty value'],
  ])('rejects %j with a one-line error', (argv, error) => {
    expect(parseCliArgs(argv)).toEqual({ error })
    expect(error).not.toContain('\n')
  })
})

describe('compileOnly', () => {
  const scenario = 'calls lifecycle'
  const step = 'John starts a call'

  const matching = (patterns: string[]) =>
    patterns.filter((pattern) => compileOnly(pattern)(scenario, step))

  it('matches a substring of "<scenario> › <step>", ignoring case', () => {
    const substrings = ['starts A CALL', 'calls lifecycle', 'lifecycle › John', 'lifecycle > John']
    expect(matching([...substrings, 'invites'])).toEqual(substrings)
  })

  it('matches a glob against the whole id or the scenario name', () => {
    const globs = ['calls*', '*starts*', 'calls lifecycle', 'calls*>*John*', 'calls']
    expect(matching([...globs, '*invite*', 'lifecycle*', 'call? lifecycle*'])).toEqual(globs)
  })
})

describe('--control-token', () => {
  it('is read from the flag, else from MOCK_CONTROL_TOKEN; the flag wins', () => {
    expect(parseCliArgs([...BASE, '--control-token', 'flag-token'], {})).toMatchObject({
      controlToken: 'flag-token',
    })
    expect(parseCliArgs(BASE, { MOCK_CONTROL_TOKEN: 'env-token' })).toMatchObject({
      controlToken: 'env-token',
    })
    expect(
      parseCliArgs([...BASE, '--control-token=flag-token'], { MOCK_CONTROL_TOKEN: 'env-token' })
    ).toMatchObject({ controlToken: 'flag-token' })
    expect(parseCliArgs(BASE, { MOCK_CONTROL_TOKEN: '' })).not.toHaveProperty('controlToken')
    expect(parseCliArgs([...BASE, '--control-token', ' '], {})).toEqual({
      error: '--control-token needs a non-empty value',
    })
  })
})

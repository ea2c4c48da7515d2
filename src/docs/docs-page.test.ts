// /docs in a real browser (Debian's Chromium driven by playwright-core) against the mock as a real
// child process: the sandbox box sends X-Mock-Sandbox with every "Try it out" request, the control
// API's own X-Mock-Sandbox parameter is a text input that is sent (and wins over the box), the
// token box opens the control API, and every change lands in the sandbox, never in the main world.
// The page loads nothing from other servers and breaks none of its CSP.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { BrowserContext, Page, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMock } from '../../conformance/testing/mock-process.ts'
import type { RunningMock } from '../../conformance/testing/mock-process.ts'
import { IDS } from '../testing/harness.ts'

const CHROMIUM = '/usr/bin/chromium'
const MISSING = `${CHROMIUM} is missing: install Debian's Chromium with \`apt-get install -y chromium\``
const missing = !existsSync(CHROMIUM)
const TOKEN = 'docs-check-token'
const SANDBOX = 'docs-box'

if (missing && process.env['CI'] !== undefined) {
  describe('/docs in Chromium', () => {
    it('needs Chromium on CI', () => {
      throw new Error(MISSING)
    })
  })
} else if (missing) {
  console.warn(`Skipping the /docs browser check: ${MISSING}.`)
}

describe.skipIf(missing)(`/docs in Chromium${missing ? ` (skipped: ${MISSING})` : ''}`, () => {
  let mock: RunningMock | undefined
  let context: BrowserContext | undefined
  let page: Page | undefined
  let profile: string | undefined
  const foreign: string[] = []
  const policyErrors: string[] = []

  const url = () => mock?.url ?? ''
  const browser = (): Page => {
    if (page === undefined) {
      throw new Error('the browser starts in beforeAll')
    }
    return page
  }

  /** A control or Messenger request over plain HTTP, with the control token. */
  async function get(path: string, sandbox?: string, token?: string): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/json', 'X-Mock-Token': TOKEN }
    if (sandbox !== undefined) {
      headers['X-Mock-Sandbox'] = sandbox
    }
    if (token !== undefined) {
      headers['Authorization'] = `Bearer ${token}`
    }
    const res = await fetch(`${url()}${path}`, { headers })
    expect(res.status, path).toBe(200)
    return res.json()
  }

  const clock = async (sandbox?: string) =>
    ((await get('/mock/clock', sandbox)) as { now: string }).now

  /** Opens an operation of the page and returns its parameters: [name, type, in, input type]. */
  async function open(operation: string): Promise<string[][]> {
    const block = browser().locator(`#${operation}`)
    await block.locator('.opblock-summary').click()
    await block.locator('button.execute').waitFor()
    const rows = await block.locator('.parameters tbody tr').all()
    return Promise.all(
      rows.map(async (row) => {
        const text = async (css: string) => (await row.locator(css).innerText()).replace(/\s+/g, '')
        const inputs = row.locator('input')
        const input = (await inputs.count()) > 0 ? await inputs.first().getAttribute('type') : null
        return [
          await text('.parameter__name'),
          await text('.parameter__type'),
          await text('.parameter__in'),
          input ?? '',
        ]
      })
    )
  }

  /** Clicks Execute and returns the response the browser got. */
  async function execute(operation: string, method: string, path: RegExp): Promise<Response> {
    const [response] = await Promise.all([
      browser().waitForResponse(
        (res) => res.request().method() === method && path.test(new URL(res.url()).pathname)
      ),
      browser().locator(`#${operation} button.execute`).click(),
    ])
    return response
  }

  beforeAll(async () => {
    mock = await startMock(['--control-token', TOKEN])
    // A new, empty profile: nothing from an earlier run or from a user's Chromium.
    profile = mkdtempSync(join(tmpdir(), 'docs-chromium-'))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    page = await context.newPage()
    page.on('request', (request) => {
      if (!request.url().startsWith(url())) {
        foreign.push(request.url())
      }
    })
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) {
        policyErrors.push(message.text())
      }
    })
  })

  afterAll(async () => {
    await context?.close()
    await mock?.stop()
    if (profile !== undefined) {
      rmSync(profile, { recursive: true, force: true })
    }
  })

  it("sends the box's sandbox and token from the control API page; its own X-Mock-Sandbox input wins", async () => {
    const page = browser()
    await page.goto(`${url()}/docs?urls.primaryName=Mock%20control%20API`)
    await page.locator('#mock-sandbox').fill(SANDBOX)
    await page.locator('#mock-token').fill(TOKEN)
    const mainBefore = await clock()

    const params = await open('operations-Clock-moveClock')
    expect(params).toContainEqual(['X-Mock-Sandbox', 'string', '(header)', 'text'])
    const body = page.locator('#operations-Clock-moveClock textarea.body-param__text')
    await body.fill('{"set": "2021-01-01T00:00:00Z"}')
    const moved = await execute('operations-Clock-moveClock', 'POST', /^\/mock\/clock$/)
    expect(moved.status()).toBe(200)
    expect(moved.request().headers()).toMatchObject({
      'x-mock-sandbox': SANDBOX,
      'x-mock-token': TOKEN,
    })
    expect(await clock(SANDBOX)).toMatch(/^2021-01-01T/)
    expect(await clock()).toMatch(mainBefore.slice(0, 10))

    // The operation's own parameter is a text input, is sent, and wins over the box.
    await page
      .locator('#operations-Clock-moveClock tr[data-param-name="X-Mock-Sandbox"] input')
      .fill('docs-param')
    await body.fill('{"set": "2022-01-01T00:00:00Z"}')
    const own = await execute('operations-Clock-moveClock', 'POST', /^\/mock\/clock$/)
    expect(own.status()).toBe(200)
    expect(own.request().headers()['x-mock-sandbox']).toBe('docs-param')
    expect(await clock('docs-param')).toMatch(/^2022-01-01T/)
    expect(await clock(SANDBOX)).toMatch(/^2021-01-01T/)
    expect(await clock()).toMatch(mainBefore.slice(0, 10))
  })

  it('starts a call from the Messenger API page in the sandbox, not in the main world', async () => {
    const page = browser()
    await page.goto(`${url()}/docs`)
    // The box kept its values across the reload.
    expect(await page.locator('#mock-sandbox').inputValue()).toBe(SANDBOX)

    await page.locator('.auth-wrapper button.authorize').click()
    const bearer = page.locator('.modal-ux .auth-container').filter({ hasText: 'bearerAuth' })
    await bearer.locator('input').fill('john')
    await bearer.locator('button.authorize').click()
    await page.locator('.modal-ux button.close-modal').click()

    const params = await open('operations-Calls-storeCall')
    expect(params).toContainEqual(['thread*', 'string($uuid)', '(path)', 'text'])
    const started = await execute('operations-Calls-storeCall', 'POST', /\/calls$/)
    expect(started.status()).toBe(201)
    expect(started.url()).toContain(IDS.johnJairo)
    const sent = started.request().headers()
    expect(sent['x-mock-sandbox']).toBe(SANDBOX)
    expect(sent['authorization']).toBe('Bearer john')
    // The token goes to the control API only.
    expect(sent['x-mock-token']).toBeUndefined()

    const journal = (sandbox?: string) => get('/mock/requests?operation=storeCall', sandbox)
    expect(await journal(SANDBOX)).toMatchObject({ data: [{ status: 201, actor: IDS.john }] })
    expect(await journal()).toEqual({ data: [] })
    const calls = `/api/messenger/threads/${IDS.johnJairo}/calls`
    expect(await get(calls, SANDBOX, 'john')).toMatchObject({ meta: { total: 1 } })
    expect(await get(calls, undefined, 'john')).toMatchObject({ meta: { total: 0 } })
  })

  it('asks nothing of other servers and breaks no rule of its CSP', () => {
    expect({ foreign, policyErrors }).toEqual({ foreign: [], policyErrors: [] })
  })
})

import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@mary/kit/testing";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export type { BrowserContext, Page };
import { build, preview, type PreviewServer } from "vite";
import { startPlatform, type Platform } from "../../../gateway/test/platform.ts";

const webRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = join(webRoot, "..", "..");
export const SCREENSHOT_DIR = join(repoRoot, ".data", "screenshots");

/** Debian's Chromium (scripts/browser installs it); tests never download a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The flags this machine needs: no sandbox as root, and no calls to Google's services (closed network). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Starts headless Chromium; playwright gives every launch a fresh, empty --user-data-dir. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Builds the app into a folder of this test process's own: always from the current sources,
 * and never racing another test file's build.
 */
export async function buildWebApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "mary-web-"));
  await build({ root: webRoot, logLevel: "warn", build: { outDir, emptyOutDir: true, sourcemap: false } });
  return outDir;
}

/** Serves a built app with Vite's preview server, passing /graphql (HTTP and WebSocket) to a gateway. */
export async function serveWebApp(outDir: string, gatewayOrigin: string, port?: number): Promise<PreviewServer> {
  return preview({
    root: webRoot,
    logLevel: "warn",
    build: { outDir },
    preview: {
      host: "127.0.0.1",
      port: port ?? (await freePort()),
      strictPort: true,
      proxy: { "/graphql": { target: gatewayOrigin, ws: true } },
    },
  });
}

export interface BrowserAccount {
  email: string;
  password: string;
  name: string;
  workspaceName: string;
}

export interface WebPlatform {
  /** The folder the app was built into for this platform (bench/web-app.ts measures it). */
  outDir: string;
  /** The real platform behind the app (subgraphs and gateway), for setting up data and checking it. */
  platform: Platform;
  /** The app's origin, e.g. http://127.0.0.1:41234 */
  webUrl: string;
  browser: Browser;
  /** A page in a browser context of its own: its own cookies, so its own session (`options`: a time zone, a locale). */
  newPage: (options?: { timezoneId?: string; locale?: string }) => Promise<Page>;
  /** Signs a new user up through the sign-up form; the page ends on the contacts page. */
  signUp: (page: Page, account?: Partial<BrowserAccount>) => Promise<BrowserAccount>;
  /** Logs in through the log-in form; the page ends on the contacts page (or `next`). */
  logIn: (page: Page, account: Pick<BrowserAccount, "email" | "password">) => Promise<void>;
  /** The access token of an account, for setting up data through the gateway (platform.gql). */
  accessTokenOf: (account: Pick<BrowserAccount, "email" | "password">) => Promise<string>;
  /** Runs axe-core on the page as it is now; fails on any serious or critical violation. */
  expectAccessible: (page: Page, pageName: string) => Promise<void>;
  /** Saves a full-page screenshot as .data/screenshots/<pageName>.png */
  screenshot: (page: Page, pageName: string) => Promise<void>;
  stop: () => Promise<void>;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * The platform, the built app served in front of its gateway, and a Chromium to drive it: one per
 * test file. `env` goes to every subgraph and the gateway (e.g. ACCESS_TOKEN_TTL_SECONDS,
 * LOCAL_TOKEN_INTERVAL_MS). `webPort` serves the app on a port chosen beforehand, for settings that
 * name the app's address (social's ACCOUNTS_PAGE_URL, where a Mastodon server sends the browser back).
 */
export async function startWebPlatform(
  env: Record<string, string> = {},
  options: { webPort?: number } = {},
): Promise<WebPlatform> {
  // The inbox looks for new mail every second (60 s by default), so mail delivered during a test
  // shows up in the app within a test's patience.
  const [platform, outDir] = await Promise.all([startPlatform({ SYNC_POLL_SECONDS: "1", ...env }), buildWebApp()]);
  const server = await serveWebApp(outDir, platform.gatewayOrigin, options.webPort);
  const webUrl = server.resolvedUrls?.local[0]?.replace(/\/$/, "") ?? "";
  const browser = await launchChromium();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  const newPage = async (options: { timezoneId?: string; locale?: string } = {}) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: webUrl, ...options });
    return context.newPage();
  };

  const signUp = async (page: Page, account: Partial<BrowserAccount> = {}): Promise<BrowserAccount> => {
    const tag = randomUUID().slice(0, 8);
    const filled: BrowserAccount = {
      email: `web-${tag}@example.com`,
      password: "correct-horse-42",
      name: `Web User ${tag}`,
      workspaceName: `Web Workspace ${tag}`,
      ...account,
    };
    await page.goto(`${webUrl}/signup`);
    await page.getByLabel("Your name").fill(filled.name);
    await page.getByLabel("Email").fill(filled.email);
    await page.getByLabel("Password").fill(filled.password);
    await page.getByLabel("Workspace name").fill(filled.workspaceName);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${webUrl}/crm/contacts`);
    return filled;
  };

  const logIn = async (page: Page, account: Pick<BrowserAccount, "email" | "password">) => {
    if (!page.url().includes("/login")) await page.goto(`${webUrl}/login`);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  };

  const accessTokenOf = async (account: Pick<BrowserAccount, "email" | "password">) => {
    const response = await platform.gql<{ logIn: { accessToken: string } }>(
      "mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }",
      { input: { email: account.email, password: account.password } },
    );
    if (!response.data) throw new Error(`logIn failed: ${JSON.stringify(response.errors)}`);
    return response.data.logIn.accessToken;
  };

  const expectAccessible = async (page: Page, pageName: string) => {
    // Page functions are strings: this file is compiled for Node, without the DOM's types.
    if (!(await page.evaluate<boolean>(`"axe" in window`))) await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate<AxeViolation[]>(`axe.run(document).then((result) => result.violations)`);
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    const report = serious.map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((node) => JSON.stringify(node.target)).join(", ")}`,
    );
    if (report.length) throw new Error(`axe found serious violations on the ${pageName} page:\n${report.join("\n")}`);
  };

  const screenshot = async (page: Page, pageName: string) => {
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${pageName}.png`), fullPage: true });
  };

  return {
    outDir,
    platform,
    webUrl,
    browser,
    newPage,
    signUp,
    logIn,
    accessTokenOf,
    expectAccessible,
    screenshot,
    stop: async () => {
      await browser.close().catch(() => undefined);
      await server.close();
      await platform.stop();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

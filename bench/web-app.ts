// The web app's weight and first paint of data: the gzipped size of the JavaScript the first page
// loads (the target is at most 200 KB) and of each route's chunk, then the time from navigation
// to the first row of the contacts page, median of BENCH_LOADS (default 10) cold loads in
// headless Chromium (cache disabled, signed in by the refresh cookie). The baseline, measured in
// the same run and browser, is a page of a few lines on the same origin that fetches the same
// contacts with fetch() and writes the first row: what the network and the gateway cost alone.
//
//   pnpm bench     (or: pnpm exec tsx bench/web-app.ts)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startWebPlatform, type BrowserContext } from "../clients/web/test/browser.ts";

const LOADS = Number(process.env.BENCH_LOADS ?? 10);
const CONTACTS = 30;
const INITIAL_JS_BUDGET_KB = 200;
/** The contacts page's own query (ContactsPage), written out for the baseline page. */
const BASELINE_QUERY = `{ contacts(first: 20) { edges { cursor node { id name emails phones title company { id name } } }
  pageInfo { hasNextPage endCursor } } workspace { id plan { name limits { contacts } } usage { contacts } } }`;

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const web = await startWebPlatform({ LOG_LEVEL: "silent" });
try {
  // Bundle sizes, from the build the app is served from.
  const assets = join(web.outDir, "assets");
  const gzipped = (file: string) => gzipSync(readFileSync(join(web.outDir, file))).length;
  const html = readFileSync(join(web.outDir, "index.html"), "utf8");
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
  const chunks = readdirSync(assets)
    .filter((name) => name.endsWith(".js"))
    .map((name) => ({ name, raw: statSync(join(assets, name)).size, gzip: gzipped(`assets/${name}`) }))
    .sort((a, b) => b.gzip - a.gzip);
  const initialGzip = initial.reduce((sum, file) => sum + gzipped(file), 0);
  console.log(`\nweb app bundle (${web.outDir})`);
  console.log("chunk".padEnd(44), "raw KB".padStart(8), "gzip KB".padStart(8), " loaded");
  for (const chunk of chunks) {
    const first = initial.includes(`assets/${chunk.name}`) ? "initial" : "on its route";
    console.log(chunk.name.padEnd(44), kb(chunk.raw).padStart(8), kb(chunk.gzip).padStart(8), ` ${first}`);
  }
  console.log(
    `initial JavaScript: ${kb(initialGzip)} KB gzipped in ${initial.length} file(s); budget ${INITIAL_JS_BUDGET_KB} KB: ${
      initialGzip <= INITIAL_JS_BUDGET_KB * 1024 ? "PASS" : "FAIL"
    }`,
  );

  // A signed-in user with a page of contacts.
  const setup = await web.newPage();
  const account = await web.signUp(setup);
  const token = await web.accessTokenOf(account);
  const inputs = Array.from({ length: CONTACTS }, (_, i) => ({
    name: `Bench Contact ${String(i).padStart(3, "0")}`,
    emails: [`bench-${i}@example.com`],
  }));
  const created = await web.platform.gql(
    "mutation ($inputs: [CreateContactInput!]!) { createContacts(inputs: $inputs) { id } }",
    { inputs },
    token,
  );
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  // Both pages note when the first contact link is in the document (a MutationObserver, so
  // the reading does not wait for the test's polling), in ms from the start of navigation.
  const FIRST_ROW = `
    new MutationObserver((_, observer) => {
      const row = [...document.querySelectorAll("a")].find((a) => a.textContent.startsWith("Bench Contact"));
      if (row) { window.firstRowAt = performance.now(); observer.disconnect(); }
    }).observe(document, { subtree: true, childList: true });`;
  const context = setup.context();
  await context.addInitScript(FIRST_ROW);
  await setup.close();
  // The baseline gets a context of its own: routing one URL of a context sends all its requests
  // through the driver, which would slow the app's loads too.
  const baselineContext = await web.browser.newContext({ baseURL: web.webUrl });
  await baselineContext.addInitScript(FIRST_ROW);
  const baselinePath = "/__bench-baseline";
  await baselineContext.route(`${web.webUrl}${baselinePath}`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><title>baseline</title><ul id="rows"></ul><script>
        fetch("/graphql", { method: "POST", headers: { "content-type": "application/json",
          authorization: "Bearer ${token}" }, body: JSON.stringify({ query: ${JSON.stringify(BASELINE_QUERY)} }) })
          .then((r) => r.json()).then(({ data }) => { const a = document.createElement("a");
            a.href = "#"; a.textContent = data.contacts.edges[0].node.name;
            document.getElementById("rows").append(a); });
      </script>`,
    }),
  );

  /** ms from navigation start to the first contact link on the page, cold cache. */
  const load = async (inContext: BrowserContext, url: string) => {
    const page = await inContext.newPage();
    page.on("pageerror", (error) => console.error(`${url}: ${error.message}`));
    const cdp = await inContext.newCDPSession(page);
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await page.goto(url, { waitUntil: "commit" });
    const ms = Number(await (await page.waitForFunction("window.firstRowAt")).jsonValue());
    await page.close();
    return ms;
  };

  const app: number[] = [];
  const baseline: number[] = [];
  await load(context, `${web.webUrl}/crm/contacts`); // warm-up: the platform's first queries
  for (let i = 0; i < LOADS; i++) {
    baseline.push(await load(baselineContext, `${web.webUrl}${baselinePath}`));
    app.push(await load(context, `${web.webUrl}/crm/contacts`));
  }
  const appMedian = median(app);
  const baselineMedian = median(baseline);
  console.log(`\nnavigation → first contacts row, median of ${LOADS} cold loads (alternating)`);
  console.log(
    `  web app /crm/contacts:        ${appMedian.toFixed(0)} ms  (all: ${app.map((ms) => ms.toFixed(0)).join(" ")})`,
  );
  console.log(
    `  baseline (fetch + one row):   ${baselineMedian.toFixed(0)} ms  (all: ${baseline.map((ms) => ms.toFixed(0)).join(" ")})`,
  );
  console.log(`  ratio app / baseline:         ${(appMedian / baselineMedian).toFixed(2)}×`);
} finally {
  await web.stop();
}

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
import { startWebPlatform, type Page } from "../clients/web/test/browser.ts";

const LOADS = Number(process.env.BENCH_LOADS ?? 10);
const CONTACTS = 30;
const INITIAL_JS_BUDGET_KB = 200;

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
    email: `bench-${i}@example.com`,
  }));
  const created = await web.platform.gql(
    "mutation ($inputs: [CreateContactInput!]!) { createContacts(inputs: $inputs) { id } }",
    { inputs },
    token,
  );
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const context = setup.context();
  await setup.close();

  /** ms from navigation start to the first contact link on the page, cold cache. */
  const load = async (url: string, firstRow: (page: Page) => Promise<void>) => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await page.goto(url, { waitUntil: "commit" });
    await firstRow(page);
    const ms = await page.evaluate<number>("performance.now()");
    await page.close();
    return ms;
  };
  const appRow = (page: Page) =>
    page
      .getByRole("link", { name: /Bench Contact/ })
      .first()
      .waitFor();
  const baselinePath = "/__bench-baseline";
  await context.route(`${web.webUrl}${baselinePath}`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><title>baseline</title><ul id="rows"></ul><script>
        fetch("/graphql", { method: "POST", headers: { "content-type": "application/json",
          authorization: "Bearer ${token}" }, body: JSON.stringify({ query: "{ contacts(first: 20) { edges { node { id name email } } } }" }) })
          .then((r) => r.json()).then(({ data }) => { const a = document.createElement("a");
            a.href = "#"; a.textContent = data.contacts.edges[0].node.name;
            document.getElementById("rows").append(a); });
      </script>`,
    }),
  );
  const baselineRow = (page: Page) =>
    page
      .getByRole("link", { name: /Bench Contact/ })
      .first()
      .waitFor();

  const app: number[] = [];
  const baseline: number[] = [];
  await load(`${web.webUrl}/crm/contacts`, appRow); // warm-up: the platform's first queries
  for (let i = 0; i < LOADS; i++) {
    baseline.push(await load(`${web.webUrl}${baselinePath}`, baselineRow));
    app.push(await load(`${web.webUrl}/crm/contacts`, appRow));
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

// What batching buys across subgraphs: one query through the gateway from users to crm
// (workspace members → each one's deals → the deal's contact → its company). The baseline is the
// same query for 1 member; the subject asks for MEMBERS members, so it returns MEMBERS times the
// data. With entity references batched (one _entities fetch per subgraph, DataLoaders in crm) the
// SQL statements per request stay the same and the latency grows far less than the data.
//
//   pnpm bench     (BENCH_MEMBERS, default 50; BENCH_REQUESTS, default 600 per side; BENCH_CONCURRENCY, default 4)
import { startPlatform } from "../gateway/test/platform.ts";
import { compare, post, row } from "./lib.ts";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 50);
const DEALS_PER_MEMBER = 5;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 600);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ROUNDS = 10;
const QUERY = `query ($first: Int) { workspace { members(first: $first) { edges { node { user { email
  assignedDeals(first: ${DEALS_PER_MEMBER}) { edges { node { title amount { amount currency }
    contact { name company { name } } } } } } } } } } }`;

const platform = await startPlatform({ LOG_LEVEL: "silent" });
try {
  const owner = await platform.signUp();
  const auth = { authorization: `Bearer ${owner.accessToken}` };
  const company = await post(platform.url, auth, `mutation { createCompany(input: { name: "Initech" }) { id } }`);
  const contact = await post(
    platform.url,
    auth,
    `mutation ($c: ID!) { createContact(input: { name: "Peter Gibbons", companyId: $c }) { id } }`,
    { c: company.createCompany.id },
  );
  // The owner is the first member; the others join and each owns the same number of deals.
  const owners = [owner.user.id];
  for (let i = 1; i < MEMBERS; i++) {
    const member = await platform.signUp();
    await post(
      platform.url,
      auth,
      `mutation ($w: ID!, $e: String!) { addMember(workspaceId: $w, email: $e, role: MEMBER) { role } }`,
      {
        w: owner.workspace.id,
        e: member.user.email,
      },
    );
    owners.push(member.user.id);
  }
  for (const ownerId of owners) {
    for (let d = 0; d < DEALS_PER_MEMBER; d++) {
      await post(platform.url, auth, `mutation ($input: CreateDealInput!) { createDeal(input: $input) { id } }`, {
        input: {
          title: `Deal ${d}`,
          amount: { amount: 1000 * (d + 1), currency: "USD" },
          contactId: contact.createContact.id,
          ownerId,
        },
      });
    }
  }

  const ask = (first: number) => async () => void (await post(platform.url, auth, QUERY, { first }));
  const statementsFor = async (first: number) => {
    const before = platform.sql.crm.length;
    const data = await post(platform.url, auth, QUERY, { first });
    const deals = data.workspace.members.edges.flatMap((edge: any) => edge.node.user.assignedDeals.edges);
    return { statements: platform.sql.crm.length - before, deals: deals.length };
  };
  const one = await statementsFor(1);
  const many = await statementsFor(MEMBERS);
  const { baseline, subject } = await compare(
    { baseline: ask(1), subject: ask(MEMBERS) },
    { requests: REQUESTS, concurrency: CONCURRENCY, rounds: ROUNDS, warmUp: 50 },
  );
  console.log(
    `crm batching: members → deals → contact → company, ${REQUESTS} requests per side, concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds`,
  );
  console.log(row(`1 member (${one.deals} deals)`, baseline), `  ${one.statements} crm SQL statements`);
  console.log(row(`${MEMBERS} members (${many.deals} deals)`, subject), `  ${many.statements} crm SQL statements`);
  console.log(
    `ratio ${MEMBERS} members / 1 member:  data ${(many.deals / one.deals).toFixed(0)}x   p50 ${(subject.p50 / baseline.p50).toFixed(2)}x   p99 ${(subject.p99 / baseline.p99).toFixed(2)}x   SQL statements ${(many.statements / one.statements).toFixed(2)}x`,
  );
} finally {
  await platform.stop();
}

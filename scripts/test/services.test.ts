// Proves each data service that `scripts/services up` (or docker-compose.yml) provides, with the
// driver the platform uses: a real write, then a read that must return what was written.
// Everything is namespaced by a random id and removed afterwards.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { EntitySchema, MikroORM } from "@mikro-orm/postgresql";
import { Redis } from "ioredis";
import { MongoClient } from "mongodb";
import neo4j from "neo4j-driver";
import Stripe from "stripe";
import { describe, expect, test } from "vitest";

const POSTGRES_URL = process.env.POSTGRES_URL ?? "postgres://mary:mary@127.0.0.1:5432";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const MONGODB_URL = process.env.MONGODB_URL ?? "mongodb://127.0.0.1:27017";
const NEO4J_URL = process.env.NEO4J_URL ?? "bolt://127.0.0.1:7687";
const STRIPE_API_BASE = process.env.STRIPE_API_BASE ?? "http://127.0.0.1:12111";

const SERVICES = fileURLToPath(new URL("../services", import.meta.url));
const servicesWith = (env: Record<string, string>, ...args: string[]) =>
  promisify(execFile)("bash", [SERVICES, ...args], { timeout: 120_000, env: { ...process.env, ...env } });
const services = (...args: string[]) => servicesWith({}, ...args);

const run = randomUUID().replaceAll("-", "").slice(0, 12);

class Note {
  id!: number;
  title!: string;
  tags: string[] = [];
  createdAt: Date = new Date();
}

const NoteSchema = new EntitySchema<Note>({
  class: Note,
  tableName: "notes",
  properties: {
    id: { type: "integer", primary: true, autoincrement: true },
    title: { type: "string", length: 200 },
    tags: { type: "string[]" },
    createdAt: { type: "datetime" },
  },
});

describe("data services", () => {
  test("PostgreSQL: a MikroORM entity round trip in a throwaway database", async () => {
    const dbName = `services_test_${run}`;
    const orm = await MikroORM.init({ clientUrl: POSTGRES_URL, dbName, entities: [NoteSchema] });
    try {
      await orm.schema.ensureDatabase(); // creates the database
      await orm.schema.create(); // and the table, from the entity
      const written = new Note();
      written.title = "hello from services.test";
      written.tags = ["a", "b"];
      await orm.em.fork().persist(written).flush();
      expect(written.id).toBeGreaterThan(0);

      const read = await orm.em.fork().findOneOrFail(Note, { title: "hello from services.test" });
      expect(read).not.toBe(written); // a fresh identity map: this came from the database
      expect(read.id).toBe(written.id);
      expect(read.tags).toEqual(["a", "b"]);
      expect(read.createdAt.getTime()).toBe(written.createdAt.getTime());
      const [row] = await orm.em.getConnection().execute<{ n: string }[]>("select count(*) as n from notes");
      expect(Number(row?.n)).toBe(1);

      // The platform's own databases exist and belong to mary.
      const dbs = await orm.em
        .getConnection()
        .execute<{ datname: string; owner: string }[]>(
          "select datname, pg_get_userbyid(datdba) as owner from pg_database where datname in ('users','crm','inbox','billing') order by datname",
        );
      expect(dbs).toEqual(["billing", "crm", "inbox", "users"].map((datname) => ({ datname, owner: "mary" })));
    } finally {
      await orm.schema.dropDatabase(dbName);
      await orm.close(true);
    }
  });

  test("Redis: set, get, and a hash, with ioredis", async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    const key = `services-test:${run}`;
    try {
      await redis.connect();
      expect(await redis.set(`${key}:s`, "value", "EX", 60)).toBe("OK");
      expect(await redis.get(`${key}:s`)).toBe("value");
      await redis.hset(`${key}:h`, { a: "1", b: "2" });
      expect(await redis.hgetall(`${key}:h`)).toEqual({ a: "1", b: "2" });
    } finally {
      await redis.del(`${key}:s`, `${key}:h`);
      redis.disconnect();
    }
  });

  test("MongoDB wire (FerretDB locally): insert, find, update in a throwaway collection", async () => {
    const client = new MongoClient(MONGODB_URL, { serverSelectionTimeoutMS: 10_000 });
    const db = client.db("services_test");
    const collection = db.collection<{ _id?: unknown; run: string; n: number; tags: string[] }>(`c_${run}`);
    try {
      await client.connect();
      const { insertedIds } = await collection.insertMany([
        { run, n: 1, tags: ["x"] },
        { run, n: 2, tags: ["y", "z"] },
      ]);
      expect(Object.keys(insertedIds)).toHaveLength(2);
      await collection.updateOne({ n: 2 }, { $push: { tags: "w" } });

      const found = await collection
        .find({ run }, { projection: { _id: 0 } })
        .sort({ n: 1 })
        .toArray();
      expect(found).toEqual([
        { run, n: 1, tags: ["x"] },
        { run, n: 2, tags: ["y", "z", "w"] },
      ]);
    } finally {
      await collection.drop().catch(() => undefined);
      await client.close();
    }
  });

  test("Neo4j: CREATE then MATCH over Bolt", async () => {
    const driver = neo4j.driver(NEO4J_URL);
    const session = driver.session();
    try {
      await session.executeWrite((tx) =>
        tx.run(
          "CREATE (:ServicesTest {run: $run, name: 'a'})-[:KNOWS {since: 2024}]->(:ServicesTest {run: $run, name: 'b'})",
          { run },
        ),
      );
      const result = await session.executeRead((tx) =>
        tx.run(
          "MATCH (a:ServicesTest {run: $run})-[k:KNOWS]->(b:ServicesTest {run: $run}) RETURN a.name AS a, b.name AS b, k.since AS since",
          { run },
        ),
      );
      expect(result.records.map((r) => [r.get("a"), r.get("b"), neo4j.integer.toNumber(r.get("since"))])).toEqual([
        ["a", "b", 2024],
      ]);
    } finally {
      await session.executeWrite((tx) => tx.run("MATCH (n:ServicesTest {run: $run}) DETACH DELETE n", { run }));
      await session.close();
      await driver.close();
    }
  });

  test("Stripe API (stripe-mock locally): create a customer, then retrieve it", async () => {
    const base = new URL(STRIPE_API_BASE);
    const stripe = new Stripe("sk_test_123", {
      host: base.hostname,
      port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
      protocol: base.protocol === "https:" ? "https" : "http",
      maxNetworkRetries: 0,
    });
    const email = `services-test-${run}@example.com`;
    const created = await stripe.customers.create(
      { email, name: "Services Test", metadata: { run } },
      { idempotencyKey: `services-test-${run}` },
    );
    expect(created.object).toBe("customer");
    expect(created.id).toMatch(/^cus_/);
    expect(created.email).toBe(email);
    expect(created.name).toBe("Services Test");

    // stripe-mock keeps no state: a retrieve answers with a fixture carrying the asked-for id,
    // so only the id round-trips (real Stripe would return the stored customer).
    const retrieved = await stripe.customers.retrieve(created.id);
    expect(retrieved.id).toBe(created.id);
    expect(retrieved.object).toBe("customer");
  });

  test("scripts/services is idempotent: a second `up` starts nothing and every server stays as it was", async () => {
    const before = await services("status");
    const lines = before.stdout.trim().split("\n");
    expect(lines.map((line) => line.split(/\s+/).slice(1, 4))).toEqual([
      ["postgres", "127.0.0.1:5432", "up"],
      ["redis", "127.0.0.1:6379", "up"],
      ["ferretdb", "127.0.0.1:27017", "up"],
      ["neo4j", "127.0.0.1:7687", "up"],
      ["stripe-mock", "127.0.0.1:12111", "up"],
      ["mail", "127.0.0.1:2525", "up"],
      ["radicale", "127.0.0.1:5232", "up"],
      ["gotosocial", "127.0.0.1:8980", "up"],
      ["pds", "127.0.0.1:2583", "up"],
    ]);
    const up = await services("up");
    expect(up.stdout).not.toMatch(/starting|install|go build|mvn/);
    expect((await services("status")).stdout).toBe(before.stdout); // same pids: nothing was restarted
  });

  test("a second set with its own SERVICES_DATA_DIR refuses a port the usual set serves instead of sharing it", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "mary-services-test-"));
    try {
      await expect(servicesWith({ SERVICES_DATA_DIR: dataDir }, "up", "redis")).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining(`redis: port 127.0.0.1:6379 is taken by a process not started from ${dataDir}`),
      });
      expect((await services("status", "redis")).stdout).toMatch(/redis +127\.0\.0\.1:6379 +up/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test("scripts/services refuses unknown services and commands with a clear message", async () => {
    await expect(services("status", "mysql")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("unknown service 'mysql'"),
    });
    await expect(services("restart")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("unknown command 'restart'"),
    });
  });
});

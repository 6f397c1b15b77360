// docker-compose.yml cannot be run here (no Docker engine), so this keeps it in step with what
// can be checked: the native data services' ports, supergraph.yaml's subgraphs, and the
// variables each Node service's config reads.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { expect, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const compose = parse(readFileSync(`${root}/docker-compose.yml`, "utf8"), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      ports?: string[];
      command?: string[];
      environment?: Record<string, string>;
      depends_on?: Record<string, { condition: string }>;
    }
  >;
};
const supergraph = parse(readFileSync(`${root}/supergraph.yaml`, "utf8")) as {
  subgraphs: Record<string, { routing_url: string }>;
};
const servicesScript = readFileSync(`${root}/scripts/services`, "utf8");

test("the data services listen on the ports scripts/services uses, on loopback", () => {
  const nativePort = (variable: string) =>
    Number(new RegExp(`${variable}=\\$\\(\\((\\d+) \\+ OFFSET\\)\\)`).exec(servicesScript)?.[1]);
  const expected = {
    postgres: nativePort("PG_PORT"),
    redis: nativePort("REDIS_PORT"),
    mongodb: nativePort("MONGO_PORT"),
    neo4j: nativePort("BOLT_PORT"),
    "stripe-mock": nativePort("STRIPE_PORT"),
    radicale: nativePort("RADICALE_PORT"),
  };
  expect(Object.values(expected).every((port) => port > 0)).toBe(true);
  for (const [service, port] of Object.entries(expected)) {
    expect(compose.services[service]?.ports, service).toEqual([`127.0.0.1:${port}:${port}`]);
  }

  // The mail server: SMTP, submission and IMAP, on the same ports natively, in compose and in its image.
  const mailPorts = ["MAIL_SMTP_PORT", "MAIL_SUBMISSION_PORT", "MAIL_IMAP_PORT"].map(
    (name) => [name, nativePort(name)] as const,
  );
  expect(mailPorts.every(([, port]) => port > 0)).toBe(true);
  expect(compose.services.mail?.ports).toEqual(mailPorts.map(([, port]) => `127.0.0.1:${port}:${port}`));
  const dockerfile = readFileSync(`${root}/scripts/mail/Dockerfile`, "utf8");
  for (const [name, port] of mailPorts) expect(dockerfile, name).toContain(`${name}=${port}`);
  expect(readFileSync(`${root}/scripts/radicale/Dockerfile`, "utf8")).toContain(`RADICALE_PORT=${expected.radicale}`);
});

test("every subgraph of supergraph.yaml runs in compose, and the gateway is pointed at each", () => {
  const gateway = compose.services.gateway!;
  for (const [name, { routing_url }] of Object.entries(supergraph.subgraphs)) {
    const service = compose.services[name];
    expect(service, `docker-compose.yml has no service for the ${name} subgraph`).toBeDefined();
    const port = new URL(routing_url).port;
    expect(service!.environment?.[`${name.toUpperCase()}_PORT`]).toBe(port);
    expect(service!.environment?.[`${name.toUpperCase()}_HOST`]).toBe("0.0.0.0");
    expect(gateway.environment?.[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${port}/graphql`);
    expect(gateway.depends_on?.[name]).toEqual({ condition: "service_healthy" });
  }
});

test("each Node service's required settings are given, and all share one signing secret", () => {
  const secrets = new Set<string | undefined>();
  for (const name of [...Object.keys(supergraph.subgraphs), "gateway"]) {
    const env = compose.services[name]!.environment ?? {};
    expect(env.NODE_ENV, name).toBe("production");
    expect(env.REDIS_URL, name).toBe("redis://redis:6379");
    secrets.add(env.INTERNAL_SIGNING_SECRET);
    if (name !== "gateway") {
      expect(env[`${name.toUpperCase()}_DATABASE_URL`] ?? env.MONGODB_URL ?? env.NEO4J_URL, name).toBeTruthy();
    }
  }
  expect(secrets.size).toBe(1);
});

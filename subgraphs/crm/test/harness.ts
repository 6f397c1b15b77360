import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { AuthenticatedPrincipal, PlanName, Principal } from "@mary/kit";
import { createTestDatabase, graphql, signedHeaders, TEST_ENV, type GraphQLResponse } from "@mary/kit/testing";
import { startCrm, type CrmApp } from "../src/app.ts";
import { loadCrmConfig } from "../src/config.ts";
import { MembersServer } from "./members-server.ts";

export interface Harness {
  app: CrmApp;
  /** Where crm's owner checks go: a stand-in for the gateway that knows the members tests add. */
  gateway: MembersServer;
  /** Makes a user (a new one unless given) a member of the workspace, for crm's owner checks; returns the id. */
  addMember: (workspaceId: string, userId?: string) => string;
  /** Every SQL statement the subgraph ran, in order. */
  statements: string[];
  /** Sends an operation as the principal. */
  call: <T = any>(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
  ) => Promise<GraphQLResponse<T>>;
  /** Sends an operation as the principal and fails the test on any error. */
  ok: <T = any>(principal: Principal, query: string, variables?: Record<string, unknown>) => Promise<T>;
  /** Runs SQL on the subgraph's database, for assertions about what was (not) written. */
  sql: <T = Record<string, any>>(query: string, params?: unknown[]) => Promise<T[]>;
  /** `select count(*)` of a table, for one workspace. */
  count: (table: string, workspaceId: string) => Promise<number>;
  stop: () => Promise<void>;
}

/** Nothing listens here: owner checks cannot reach a gateway. */
export const UNREACHABLE_GATEWAY = "http://127.0.0.1:9/graphql";

/**
 * Starts the crm subgraph on a free port and a throwaway database, its owner checks answered by
 * a local stand-in for the gateway (or sent to `gatewayUrl` when given).
 */
export async function startHarness(options: { gatewayUrl?: string } = {}): Promise<Harness> {
  const db = await createTestDatabase("crm");
  const gateway = await new MembersServer().start();
  const statements: string[] = [];
  const app = await startCrm(
    loadCrmConfig({
      ...TEST_ENV,
      CRM_PORT: "0",
      CRM_DATABASE_URL: db.url,
      GATEWAY_URL: options.gatewayUrl ?? gateway.url,
      CRM_GATEWAY_TIMEOUT_MS: "2000",
    }),
    { onQuery: (statement) => statements.push(statement) },
  );
  const call = <T = any>(principal: Principal, query: string, variables: Record<string, unknown> = {}) =>
    graphql<T>(app.url, query, variables, signedHeaders(principal));
  const sql = <T = Record<string, any>>(query: string, params: unknown[] = []) =>
    app.orm.em.fork().getConnection().execute<T[]>(query, params);
  return {
    app,
    gateway,
    addMember: (workspaceId, userId = randomUUID()) => {
      gateway.add(workspaceId, userId);
      return userId;
    },
    statements,
    call,
    ok: async <T = any>(principal: Principal, query: string, variables: Record<string, unknown> = {}) => {
      const response = await call<T>(principal, query, variables);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      return response.data as T;
    },
    sql,
    count: async (table, workspaceId) =>
      (await sql<{ n: number }>(`select count(*)::int as n from ${table} where workspace_id = ?`, [workspaceId]))[0]!.n,
    stop: async () => {
      await app?.close();
      await gateway.stop();
      await db.drop();
    },
  };
}

/** A signed-in owner of a fresh workspace with every crm scope. */
export function newMember(plan: PlanName = "FREE", workspaceId: string = randomUUID()): AuthenticatedPrincipal {
  return {
    kind: "user",
    userId: randomUUID(),
    workspaceId,
    role: "OWNER",
    scopes: ["crm:read", "crm:write"],
    plan,
  };
}

export const CREATE_CONTACT = `mutation ($input: CreateContactInput!) {
  createContact(input: $input) { id name emails phones title tags customFields company { id name } owner { id } } }`;
export const CREATE_CONTACTS = `mutation ($inputs: [CreateContactInput!]!) { createContacts(inputs: $inputs) { id name } }`;
export const UPDATE_CONTACT = `mutation ($id: ID!, $input: UpdateContactInput!) {
  updateContact(id: $id, input: $input) { id name emails phones title tags customFields company { id } owner { id } } }`;
export const CREATE_COMPANY = `mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) { id name domain industry size } }`;
export const CREATE_DEAL = `mutation ($input: CreateDealInput!) {
  createDeal(input: $input) { id title stage expectedCloseDate amount { amount currency } contact { id } company { id } owner { id } } }`;
export const MOVE_DEAL = `mutation ($id: ID!, $stage: DealStage!) {
  moveDeal(id: $id, stage: $stage) { id stage stageHistory { from to changedBy { id } } } }`;
export const LOG_ACTIVITY = `mutation ($input: LogActivityInput!) {
  logActivity(input: $input) { id type subject body occurredAt author { id } contact { id } deal { id } } }`;
export const CONTACTS = `query ($first: Int, $after: String, $search: String, $filter: ContactFilter) {
  contacts(first: $first, after: $after, search: $search, filter: $filter) {
    edges { cursor node { id name } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
export const PIPELINE = `{ pipeline { stage count totals { amount currency } } }`;

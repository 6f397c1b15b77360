import {
  createLogger,
  GatewayClient,
  openDatabase,
  pingDatabase,
  startSubgraphServer,
  type RunningServer,
} from "@mary/kit";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { CrmConfig } from "./config.ts";
import { createLoaders, type CrmContext } from "./context.ts";
import { entities } from "./entities/index.ts";
import { migrations } from "./migrations/index.ts";
import { buildCrmSchema } from "./schema.ts";
import { ActivityService } from "./services/activity.service.ts";
import { CompanyService } from "./services/company.service.ts";
import { ContactService } from "./services/contact.service.ts";
import { DealService } from "./services/deal.service.ts";
import { MemberService } from "./services/member.service.ts";

export interface CrmApp extends RunningServer {
  orm: MikroORM;
}

/** Connects to PostgreSQL, applies migrations and serves the crm subgraph. */
export async function startCrm(config: CrmConfig, options: { onQuery?: (sql: string) => void } = {}): Promise<CrmApp> {
  const log = createLogger("crm", config.LOG_LEVEL);
  const { orm } = await openDatabase({
    databaseUrl: config.CRM_DATABASE_URL,
    entities,
    migrations,
    log,
    onQuery: options.onQuery,
  });
  // Owners must be members of the caller's workspace, which users knows: crm asks it through the
  // public graph at request time (so crm may start before the gateway).
  const gateway = new GatewayClient(config.GATEWAY_URL, config.INTERNAL_SIGNING_SECRET, config.CRM_GATEWAY_TIMEOUT_MS);

  const server = await startSubgraphServer<CrmContext>({
    name: "crm",
    schema: await buildCrmSchema(),
    port: config.CRM_PORT,
    host: config.CRM_HOST,
    signingSecret: config.INTERNAL_SIGNING_SECRET,
    introspection: config.NODE_ENV !== "production",
    log,
    createContext: (base) => {
      const em = orm.em.fork();
      const members = new MemberService(gateway, base.log);
      const deals = new DealService(em, members);
      const contacts = new ContactService(em, members);
      return {
        ...base,
        em,
        contacts,
        companies: new CompanyService(em),
        deals,
        activities: new ActivityService(em),
        loaders: createLoaders(em, base, deals, contacts),
      };
    },
    checkReady: async () => {
      await pingDatabase(orm);
    },
  });
  return {
    ...server,
    orm,
    close: async () => {
      await server.close();
      await orm.close();
    },
  };
}

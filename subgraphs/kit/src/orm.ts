import { Migrator, type Migration } from "@mikro-orm/migrations";
import { MikroORM, type EntitySchema } from "@mikro-orm/postgresql";
import type { Logger } from "./logger.ts";

export interface OrmOptions {
  /** postgres://user:password@host:port/database of this subgraph's own database. */
  databaseUrl: string;
  entities: EntitySchema<any>[];
  /** The subgraph's migrations, oldest first. */
  migrations: (new (...args: any[]) => Migration)[];
  log?: Logger;
  /** Logs every SQL statement through this function (tests count statements with it). */
  onQuery?: (sql: string) => void;
}

/**
 * Connects MikroORM to the subgraph's PostgreSQL database. Migrations are listed
 * in code rather than discovered on disk, so they run the same under tsx,
 * vitest and a bundle.
 */
export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: options.databaseUrl,
    entities: options.entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations.map((migration) => ({ name: migration.name, class: migration })),
      snapshot: false,
      silent: true,
    },
    allowGlobalContext: false,
    debug: options.onQuery ? ["query"] : false,
    colors: false,
    logger: options.onQuery ? (message) => options.onQuery?.(message) : (message) => options.log?.debug(message),
    pool: { min: 0, max: 10 },
  });
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((migration) => migration.name);
}

import { Migrator, type Migration } from "@mikro-orm/migrations";
import {
  MikroORM,
  type EntityManager,
  type EntityName,
  type EntitySchema,
  type FilterQuery,
} from "@mikro-orm/postgresql";
import { badUserInput, notFound } from "./errors.ts";
import { isUuid } from "./ids.ts";
import { createLogger, type Logger } from "./logger.ts";
import { toConnection, type Connection, type CursorKey, type PageRequest } from "./pagination.ts";

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
 * Connects MikroORM to the subgraph's PostgreSQL database and applies its pending migrations:
 * what every SQL subgraph does at start. Migrations are listed in code rather than discovered
 * on disk, so they run the same under tsx, vitest and a bundle.
 */
export async function openDatabase(options: OrmOptions): Promise<{ orm: MikroORM; applied: string[] }> {
  const orm = await MikroORM.init({
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
  const applied = await orm.migrator.up();
  return { orm, applied: applied.map((migration) => migration.name) };
}

/** A subgraph's `pnpm migrate`: applies pending migrations, logs which, and disconnects. */
export async function runMigrations(
  service: string,
  options: Omit<OrmOptions, "log" | "onQuery">,
  logLevel: string,
): Promise<void> {
  const log = createLogger(`${service}-migrate`, logLevel);
  const { orm, applied } = await openDatabase({ ...options, log });
  log.info({ applied }, applied.length ? "migrations applied" : "database is up to date");
  await orm.close();
}

/** Throws unless the database answers: for a subgraph's /readyz. */
export async function pingDatabase(orm: MikroORM): Promise<void> {
  await orm.em.fork().getConnection().execute("select 1");
}

/**
 * The row with this id within `scope` (the caller's workspace, say, or their own mailbox): a row
 * outside it is NOT_FOUND exactly like a missing one, so ids never reveal whether they exist elsewhere.
 */
export async function findInScope<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  scope: Record<string, unknown>,
  id: string,
  what: string,
): Promise<T> {
  const row = isUuid(id)
    ? await em.findOne(entity, { id: id.toLowerCase(), ...scope } as unknown as FilterQuery<T>)
    : null;
  if (!row) throw notFound(what);
  return row as T;
}

/** The rows within `scope` with these ids, in one query; ids that are not UUIDs, or no scope, match nothing. */
export function findManyInScope<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  scope: Record<string, unknown> | null,
  ids: readonly string[],
): Promise<T[]> {
  const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
  if (!scope || !valid.length) return Promise.resolve([]);
  return em.find(entity, { id: { $in: valid }, ...scope } as unknown as FilterQuery<T>) as Promise<T[]>;
}

export interface PageOrder<T> {
  /** The column the list is sorted by; the id breaks ties, so the order is total. */
  field: keyof T & string;
  direction: "asc" | "desc";
}

/**
 * One page of a list by keyset ("seek") pagination: rows strictly after the cursor's
 * (field, id) in the list's order, so pages stay stable while rows are added and the
 * query uses an index on (field, id) instead of an OFFSET scan.
 */
export async function findPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  request: PageRequest,
  order: PageOrder<T>,
): Promise<Connection<T>> {
  const { field, direction } = order;
  const properties: Record<string, { runtimeType?: string; type?: string }> = em.getMetadata().get(entity).properties;
  const isDate = properties[field]?.runtimeType === "Date";
  let filter = where;
  if (request.after) {
    const [value, id] = request.after;
    const bound = isDate ? new Date(value) : value;
    // A decodable cursor can still hold values the column types refuse; those are the client's mistake.
    if ((bound instanceof Date && Number.isNaN(bound.getTime())) || (properties.id?.type === "uuid" && !isUuid(id)))
      throw badUserInput("`after` is not a cursor from this list", "after");
    const past = direction === "asc" ? "$gt" : "$lt";
    // Built from the entity's own field name, which FilterQuery<T> cannot type-check.
    filter = {
      $and: [where, { $or: [{ [field]: { [past]: bound } }, { [field]: bound, id: { [past]: id } }] }],
    } as FilterQuery<T>;
  }
  const rows = await em.find(entity, filter, {
    orderBy: { [field]: direction, id: direction } as never,
    limit: request.first + 1,
  });
  return toConnection(rows as T[], request, (row): CursorKey => {
    const value = row[field] as unknown;
    return [value instanceof Date ? value.toISOString() : (value as string | number), row.id];
  });
}

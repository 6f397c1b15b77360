import type { EntityManager } from "@mikro-orm/postgresql";
import {
  badUserInput,
  findPage,
  isEmailAddress,
  optionalText,
  type AuthenticatedPrincipal,
  type Connection,
  type PageRequest,
  type SecretBox,
} from "@mary/kit";
import { MailAccount, type ConnectionSecurity } from "../entities/mail-account.entity.ts";
import type { ConnectMailAccountInput } from "../resolvers/mail-account.input.ts";
import { MailConnectionError, verifyMailLogin, type MailLogin } from "./mail-connection.ts";
import { findOwned, ownerScope } from "./ownership.ts";

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** What the account service needs of the sync queue: to start and stop an account's syncs. */
export interface SyncScheduling {
  /** Queues a sync now and keeps one on the polling schedule. */
  schedule(account: MailAccount): Promise<void>;
  unschedule(accountId: string): Promise<void>;
}

export interface MailAccountSettings {
  secrets: SecretBox;
  allowPlaintext: boolean;
  connectTimeoutMs: number;
}

/** Connected mailboxes: tried before they are saved, their secrets sealed, visible to their owner only. */
export class MailAccountService {
  constructor(
    private readonly em: EntityManager,
    private readonly settings: MailAccountSettings,
    private readonly sync: SyncScheduling,
  ) {}

  /** Checks the input, logs in to both servers, and only then saves the account and starts its sync. */
  async connect(caller: AuthenticatedPrincipal, input: ConnectMailAccountInput): Promise<MailAccount> {
    const address = input.address.trim().toLowerCase();
    if (!isEmailAddress(address)) throw badUserInput("address must be an email address", "address");
    const secret = input.password ?? input.accessToken;
    if (!secret || (input.password != null && input.accessToken != null)) {
      throw badUserInput(
        "Give exactly one of password and accessToken",
        input.password == null ? "password" : "accessToken",
      );
    }
    if (secret.length > 4096) throw badUserInput("The password or token is too long", "password");
    const syncDays = input.syncDays ?? 30;
    if (!Number.isInteger(syncDays) || syncDays < 1 || syncDays > 365) {
      throw badUserInput("syncDays must be 1 to 365", "syncDays");
    }
    const account = new MailAccount();
    Object.assign(account, {
      workspaceId: caller.workspaceId,
      userId: caller.userId,
      address,
      displayName: optionalText(input.displayName, "displayName", 200),
      imapHost: this.host(input.imapHost, "imapHost"),
      imapSecurity: this.security(input.imapSecurity, "imapSecurity"),
      smtpHost: this.host(input.smtpHost, "smtpHost"),
      smtpSecurity: this.security(input.smtpSecurity, "smtpSecurity"),
      username: optionalText(input.username, "username", 320) ?? address,
      authMethod: input.accessToken != null ? "OAUTH2" : "PASSWORD",
      syncDays,
    } satisfies Partial<MailAccount>);
    account.imapPort = this.port(input.imapPort ?? (account.imapSecurity === "TLS" ? 993 : 143), "imapPort");
    account.smtpPort = this.port(input.smtpPort ?? (account.smtpSecurity === "TLS" ? 465 : 587), "smtpPort");
    const existing = await this.em.count(MailAccount, { ...ownerScope(caller), address });
    if (existing) throw badUserInput(`${address} is already connected`, "address");

    try {
      await verifyMailLogin(this.loginWith(account, secret));
    } catch (error) {
      if (error instanceof MailConnectionError) {
        const field = error.kind === "auth" ? "password" : error.side === "IMAP" ? "imapHost" : "smtpHost";
        throw badUserInput(error.message, field);
      }
      throw error;
    }
    account.secret = this.settings.secrets.seal(secret, account.id);
    await this.em.persist(account).flush();
    await this.sync.schedule(account);
    return account;
  }

  get(caller: AuthenticatedPrincipal, id: string): Promise<MailAccount> {
    return findOwned(this.em, MailAccount, caller, id, "Mail account");
  }

  list(caller: AuthenticatedPrincipal, page: PageRequest): Promise<Connection<MailAccount>> {
    return findPage(this.em, MailAccount, ownerScope(caller), page, { field: "createdAt", direction: "desc" });
  }

  /** How many accounts the workspace has connected, all members together: for Usage. */
  countInWorkspace(workspaceId: string): Promise<number> {
    return this.em.count(MailAccount, { workspaceId });
  }

  /** Stops syncing and forgets the account and everything synced from it (the server keeps the mail). */
  async disconnect(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    const account = await this.get(caller, id);
    await this.sync.unschedule(account.id);
    await this.em.transactional(async (em) => {
      const connection = em.getConnection();
      for (const table of ["messages", "threads", "mail_folders", "drafts"]) {
        await connection.execute(`delete from "${table}" where account_id = ?`, [account.id]);
      }
      await connection.execute(`delete from "mail_accounts" where id = ?`, [account.id]);
    });
    return account.id;
  }

  /** How to log in to the account, its secret opened (never leaves the process). */
  loginOf(account: MailAccount): MailLogin {
    return this.loginWith(account, this.settings.secrets.open(account.secret, account.id));
  }

  private loginWith(account: MailAccount, secret: string): MailLogin {
    return {
      imap: { host: account.imapHost, port: account.imapPort, security: account.imapSecurity },
      smtp: { host: account.smtpHost, port: account.smtpPort, security: account.smtpSecurity },
      username: account.username,
      authMethod: account.authMethod,
      secret,
      timeoutMs: this.settings.connectTimeoutMs,
    };
  }

  private host(value: string, field: string): string {
    const host = value.trim().toLowerCase();
    if (!HOSTNAME.test(host)) throw badUserInput(`${field} must be a host name or IPv4 address`, field);
    return host;
  }

  private port(value: number, field: string): number {
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      throw badUserInput(`${field} must be 1 to 65535`, field);
    return value;
  }

  private security(value: ConnectionSecurity, field: string): ConnectionSecurity {
    if (value === "NONE" && !this.settings.allowPlaintext) {
      throw badUserInput("Unencrypted mail connections are not allowed on this server; use TLS or STARTTLS", field);
    }
    return value;
  }
}

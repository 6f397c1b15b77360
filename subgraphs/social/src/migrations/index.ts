/**
 * The graph's schema, applied at start, oldest first. Each statement is idempotent (IF NOT
 * EXISTS), so re-running them is how the graph is migrated; a change to an existing one is a
 * new statement that drops and recreates, never an edit.
 */
export const migrations: readonly string[] = [
  // Writes that must not race in one workspace (the plan's account limit) lock its node.
  "CREATE CONSTRAINT workspace_id IF NOT EXISTS FOR (w:Workspace) REQUIRE w.id IS UNIQUE",
  "CREATE CONSTRAINT social_account_id IF NOT EXISTS FOR (a:SocialAccount) REQUIRE a.id IS UNIQUE",
  "CREATE INDEX social_account_workspace IF NOT EXISTS FOR (a:SocialAccount) ON (a.workspaceId, a.createdAt)",
  // A network's profile is one node per workspace: no workspace sees another's graph.
  "CREATE CONSTRAINT profile_key IF NOT EXISTS FOR (p:Profile) REQUIRE (p.workspaceId, p.network, p.remoteId) IS UNIQUE",
  "CREATE INDEX profile_handle IF NOT EXISTS FOR (p:Profile) ON (p.workspaceId, p.handle)",
  "CREATE CONSTRAINT contact_key IF NOT EXISTS FOR (c:Contact) REQUIRE (c.workspaceId, c.id) IS UNIQUE",
  "CREATE CONSTRAINT post_id IF NOT EXISTS FOR (p:Post) REQUIRE p.id IS UNIQUE",
  "CREATE INDEX post_workspace IF NOT EXISTS FOR (p:Post) ON (p.workspaceId, p.createdAt)",
  "CREATE INDEX post_state IF NOT EXISTS FOR (p:Post) ON (p.state, p.scheduledAt)",
  // The follow graph: profiles by Mary's id, FOLLOWS edges stamped by the import that last saw them.
  "CREATE CONSTRAINT profile_id IF NOT EXISTS FOR (p:Profile) REQUIRE p.id IS UNIQUE",
  "CREATE INDEX follows_seen IF NOT EXISTS FOR ()-[r:FOLLOWS]-() ON (r.seenAt)",
  // Mastodon: one app registration per instance, and the publish attempts that findPublished checks.
  "CREATE CONSTRAINT mastodon_app_origin IF NOT EXISTS FOR (m:MastodonApp) REQUIRE m.origin IS UNIQUE",
  "CREATE CONSTRAINT mastodon_publication_key IF NOT EXISTS FOR (p:MastodonPublication) REQUIRE (p.accountId, p.postId) IS UNIQUE",
];

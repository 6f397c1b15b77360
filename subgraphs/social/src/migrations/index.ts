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
];

import { describe, expect, test } from "vitest";
import { scopesForRole, signPrincipal, verifyPrincipal, type Principal } from "../src/principal.ts";
import { loadConfig, port } from "../src/config.ts";
import { maskError } from "../src/errors.ts";

const SECRET = "a-signing-secret-of-at-least-32-chars!!";
const principal: Principal = {
  kind: "user",
  userId: "u1",
  workspaceId: "w1",
  role: "MEMBER",
  scopes: scopesForRole("MEMBER"),
  plan: "FREE",
};

describe("signed principal header", () => {
  test("round-trips when signed with the same secret", () => {
    expect(verifyPrincipal(signPrincipal(principal, SECRET), SECRET)).toEqual(principal);
  });

  test("is refused when tampered, signed with another secret, stale or malformed", () => {
    const header = signPrincipal(principal, SECRET);
    const [payload, signature] = header.split(".") as [string, string];
    const elevated = Buffer.from(JSON.stringify({ p: { ...principal, role: "OWNER" }, iat: Date.now() })).toString(
      "base64url",
    );
    expect(verifyPrincipal(`${elevated}.${signature}`, SECRET)).toBeNull();
    expect(verifyPrincipal(header, `${SECRET}-other`)).toBeNull();
    expect(verifyPrincipal(signPrincipal(principal, SECRET, Date.now() - 120_000), SECRET)).toBeNull();
    expect(verifyPrincipal(`${payload}`, SECRET)).toBeNull();
    expect(verifyPrincipal(`${payload}.${signature}.x`, SECRET)).toBeNull();
    expect(verifyPrincipal(undefined, SECRET)).toBeNull();
  });

  test("members get every scope but managing people and billing", () => {
    expect(scopesForRole("MEMBER")).not.toContain("users:write");
    expect(scopesForRole("MEMBER")).not.toContain("billing:write");
    expect(scopesForRole("MEMBER")).toContain("crm:write");
    expect(scopesForRole("ADMIN")).toContain("billing:write");
  });
});

describe("config", () => {
  test("fails fast naming each wrong variable", () => {
    expect(() => loadConfig({ PORT: port(1), NAME: port(2) }, { PORT: "nope", NAME: "70000" })).toThrow(
      /PORT[\s\S]*NAME/,
    );
  });

  test("applies defaults and freezes the result", () => {
    const config = loadConfig({ PORT: port(4100) }, {});
    expect(config.PORT).toBe(4100);
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe("error masking", () => {
  test("passes Mary's codes, hides everything else", () => {
    expect(
      maskError({ message: "no", extensions: { code: "FORBIDDEN", stacktrace: ["x"], serviceName: "users" } }),
    ).toEqual({
      message: "no",
      extensions: { code: "FORBIDDEN" },
    });
    expect(maskError({ message: "relation users does not exist", extensions: { code: "SOMETHING" } })).toEqual({
      message: "Internal server error",
      extensions: { code: "INTERNAL" },
    });
  });
});

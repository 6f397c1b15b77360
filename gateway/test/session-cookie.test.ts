import type { IncomingMessage } from "node:http";
import { describe, expect, test } from "vitest";
import {
  isCookieMode,
  isSecureRequest,
  parseMaxAge,
  readCookie,
  REFRESH_COOKIE,
  refreshCookie,
} from "../src/auth/session-cookie.ts";

const request = (headers: IncomingMessage["headers"], encrypted?: boolean) =>
  ({ headers, socket: encrypted === undefined ? {} : { encrypted } }) as unknown as IncomingMessage;

describe("cookie mode", () => {
  test("is asked for with x-mary-session: cookie, in any case, and only so", () => {
    expect(isCookieMode({ "x-mary-session": "cookie" })).toBe(true);
    expect(isCookieMode({ "x-mary-session": " Cookie " })).toBe(true);
    expect(isCookieMode({})).toBe(false);
    expect(isCookieMode({ "x-mary-session": "token" })).toBe(false);
    expect(isCookieMode({ "x-mary-session": "" })).toBe(false);
  });
});

describe("readCookie", () => {
  test("finds the named cookie among others", () => {
    expect(readCookie("a=1; mary_refresh=abc-_9; b=2", REFRESH_COOKIE)).toBe("abc-_9");
    expect(readCookie("mary_refresh=abc", REFRESH_COOKIE)).toBe("abc");
    expect(readCookie(' mary_refresh="quoted" ', REFRESH_COOKIE)).toBe("quoted");
  });

  test("takes the first of two, and never a cookie whose name only contains the one asked for", () => {
    expect(readCookie("mary_refresh=first; mary_refresh=second", REFRESH_COOKIE)).toBe("first");
    expect(readCookie("xmary_refresh=no; mary_refresh_old=no", REFRESH_COOKIE)).toBeUndefined();
  });

  test("is undefined without the header, the cookie or a value", () => {
    expect(readCookie(undefined, REFRESH_COOKIE)).toBeUndefined();
    expect(readCookie("", REFRESH_COOKIE)).toBeUndefined();
    expect(readCookie("other=1", REFRESH_COOKIE)).toBeUndefined();
    expect(readCookie("mary_refresh=", REFRESH_COOKIE)).toBeUndefined();
    expect(readCookie("mary_refresh", REFRESH_COOKIE)).toBeUndefined();
  });

  test("reads a header given as several values", () => {
    expect(readCookie(["a=1", "mary_refresh=xyz"], REFRESH_COOKIE)).toBe("xyz");
  });
});

describe("refreshCookie", () => {
  test("stores a token httpOnly, SameSite=Strict, on /graphql only, for its lifetime", () => {
    expect(refreshCookie("tok_EN-1", 2_592_000, false)).toBe(
      "mary_refresh=tok_EN-1; HttpOnly; SameSite=Strict; Path=/graphql; Max-Age=2592000",
    );
  });

  test("is Secure for a client on HTTPS", () => {
    expect(refreshCookie("tok", 60, true)).toBe(
      "mary_refresh=tok; HttpOnly; SameSite=Strict; Path=/graphql; Max-Age=60; Secure",
    );
  });

  test("an empty token clears the cookie", () => {
    expect(refreshCookie("", 60, false)).toBe("mary_refresh=; HttpOnly; SameSite=Strict; Path=/graphql; Max-Age=0");
    expect(refreshCookie("", undefined, true)).toBe(
      "mary_refresh=; HttpOnly; SameSite=Strict; Path=/graphql; Max-Age=0; Secure",
    );
  });

  test("without a lifetime the cookie lasts until the browser closes", () => {
    expect(refreshCookie("tok", undefined, false)).toBe("mary_refresh=tok; HttpOnly; SameSite=Strict; Path=/graphql");
  });

  test("refuses a value that would break out of the cookie", () => {
    for (const bad of ["a;b", "a b", 'a"b', "a,b", "a\r\nSet-Cookie: x=1", "a\\b", "é"]) {
      expect(() => refreshCookie(bad, 60, false)).toThrow();
    }
  });
});

describe("parseMaxAge", () => {
  test("reads whole seconds and nothing else", () => {
    expect(parseMaxAge("2592000")).toBe(2_592_000);
    expect(parseMaxAge("0")).toBe(0);
    expect(parseMaxAge(null)).toBeUndefined();
    expect(parseMaxAge("")).toBeUndefined();
    expect(parseMaxAge("-1")).toBeUndefined();
    expect(parseMaxAge("1.5")).toBeUndefined();
    expect(parseMaxAge("60; Secure")).toBeUndefined();
  });
});

describe("isSecureRequest", () => {
  test("a TLS socket is secure", () => {
    expect(isSecureRequest(request({}, true), false)).toBe(true);
    expect(isSecureRequest(request({}, false), false)).toBe(false);
    expect(isSecureRequest(request({}), false)).toBe(false);
  });

  test("x-forwarded-proto counts only behind a trusted proxy, by its first entry", () => {
    expect(isSecureRequest(request({ "x-forwarded-proto": "https" }), false)).toBe(false);
    expect(isSecureRequest(request({ "x-forwarded-proto": "https" }), true)).toBe(true);
    expect(isSecureRequest(request({ "x-forwarded-proto": "HTTPS, http" }), true)).toBe(true);
    expect(isSecureRequest(request({ "x-forwarded-proto": "http, https" }), true)).toBe(false);
    expect(isSecureRequest(request({}), true)).toBe(false);
  });
});

import { createHash } from "node:crypto";

/** The base32 alphabet of AT Protocol TIDs ("base32-sortable": digits 2-7 first, so strings sort as numbers). */
const S32 = "234567abcdefghijklmnopqrstuvwxyz";
const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

/** 2023-01-01T00:00:00Z in microseconds: the start of the window a post id without a time is hashed into. */
const HASHED_EPOCH_US = 1_672_531_200_000_000n;
/** 2^45 µs, about 407 days: the window's width. */
const HASHED_WINDOW_US = 1n << 45n;

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Encodes a TID's 64-bit value (top bit 0: 53 bits of microseconds, 10 bits of clock id) as its 13 characters. */
export function encodeTid(microseconds: bigint, clockId: number): string {
  if (microseconds < 0n || microseconds >= 1n << 53n) throw new RangeError("A TID's time must fit in 53 bits");
  if (!Number.isInteger(clockId) || clockId < 0 || clockId > 1023) throw new RangeError("A TID's clock id is 10 bits");
  let value = (microseconds << 10n) | BigInt(clockId);
  let text = "";
  for (let i = 0; i < 13; i++) {
    text = S32[Number(value & 31n)] + text;
    value >>= 5n;
  }
  return text;
}

/** The time (µs since the epoch) and clock id a TID carries. */
export function decodeTid(tid: string): { microseconds: bigint; clockId: number } {
  if (!isValidTid(tid)) throw new Error(`Not a TID: ${tid}`);
  let value = 0n;
  for (const char of tid) value = (value << 5n) | BigInt(S32.indexOf(char));
  return { microseconds: value >> 10n, clockId: Number(value & 1023n) };
}

/** The TID syntax of the AT Protocol (the same check as @atproto/syntax's isValidTid). */
export const isValidTid = (value: string) => TID_PATTERN.test(value);

/**
 * The record key of a Mary post's app.bsky.feed.post record, fixed by the post's id, so every
 * attempt to publish it writes the same key and a retry conflicts instead of making a second post.
 *
 * The lexicon types post keys as `tid` and the PDS validates keys against it, so the key is a TID
 * computed from the id rather than from the clock: a UUIDv7 id gives its own creation time (its
 * 48 bits of milliseconds, and 10 of its random bits as microseconds), so keys sort like the
 * posts; any other id gives a time hashed into a window in 2023–2024 (a record key's time carries
 * no meaning on the network: feeds sort by the record's createdAt). The clock id is 10 bits of the
 * id's SHA-256 either way.
 */
export function postRecordKey(postId: string): string {
  return recordKeyFor("post", postId);
}

/**
 * A TID fixed by `seed` in a `namespace` (such as "post" or "follow"), so two writes meant to be
 * one (a retried follow of the same DID) land on the same record key.
 */
export function recordKeyFor(namespace: string, seed: string): string {
  const digest = createHash("sha256").update(`mary:${namespace}:${seed.toLowerCase()}`).digest();
  const clockId = digest.readUInt16BE(0) & 1023;
  if (UUID_V7.test(seed)) {
    const hex = seed.replaceAll("-", "");
    const milliseconds = BigInt(`0x${hex.slice(0, 12)}`);
    const subMillisecond = BigInt(Number.parseInt(hex.slice(13, 16), 16) % 1000);
    return encodeTid(milliseconds * 1000n + subMillisecond, clockId);
  }
  const offset = digest.readBigUInt64BE(2) % HASHED_WINDOW_US;
  return encodeTid(HASHED_EPOCH_US + offset, clockId);
}

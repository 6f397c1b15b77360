/** Writes the local Ed25519 key pair that signs access tokens, unless it exists (`.data/keys/`). */
import { DEFAULT_PRIVATE_KEY_FILE, ensureKeyPair } from "../subgraphs/kit/src/tokens.ts";

ensureKeyPair();
console.log(`keys: access tokens are signed with ${DEFAULT_PRIVATE_KEY_FILE}`);

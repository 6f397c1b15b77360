#!/usr/bin/env node
// The gateway's command (`mary-gateway --help`): runs src/index.ts through tsx, which the
// workspace has, so the TypeScript sources run as they are, with no build step.
import { register } from "tsx/esm/api";

register();
await import("../src/index.ts");

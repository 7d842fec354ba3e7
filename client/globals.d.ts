// Build-time constants inlined by vite.config.ts `define`: the association keys the resident pins and the
// neutral page the quick exit goes to. Declared here so client code never hard-codes either.

/** Association id -> base64url Ed25519 public key (32 bytes) of that association's root key. */
declare const __PINNED_KEYS__: Record<string, string>;

/** Neutral site that replaces the resident page on quick exit. */
declare const __EXIT_URL__: string;

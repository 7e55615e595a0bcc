// Reference peer for bench/run.sh: node-oidc-provider (npm `oidc-provider`, ESM) with one confidential
// client that may only use the client_credentials grant, opaque access tokens (no JWT, resource
// indicators disabled), the default in-memory adapter, no per-request logging.
//
// Usage: NODE_ENV=production node server.mjs [--port N]
// Prints exactly one line once listening, on stdout:  peer listening on http://127.0.0.1:PORT
// Client: bench-client / bench-secret (HTTP Basic), token endpoint /token.
import http from 'node:http';
import Provider from 'oidc-provider';
// The provider's own in-memory adapter, used with our store when PEER_STORE=map (see below).
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const wantedPort = portArg >= 0 ? Number(args[portArg + 1]) : 0;

export const CLIENT_ID = process.env.PEER_CLIENT_ID || 'bench-client';
export const CLIENT_SECRET = process.env.PEER_CLIENT_SECRET || 'bench-secret';

// PEER_STORE=lru (default): the provider's default development adapter, an LRU capped at 1000 entries, so
// old tokens are evicted and the store never grows. PEER_STORE=map: the same adapter on an unbounded Map
// (entries expire only by TTL), which keeps every token like oauthsim does.
const storeKind = process.env.PEER_STORE || 'lru';
class UnboundedStore {
  #m = new Map();

  get(key) {
    const e = this.#m.get(key);
    if (!e) return undefined;
    if (e.expiresAt && e.expiresAt <= Date.now()) {
      this.#m.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key, value, options) {
    this.#m.set(key, { value, expiresAt: options?.maxAge ? Date.now() + options.maxAge : 0 });
  }

  delete(key) {
    this.#m.delete(key);
  }
}
let adapter;
if (storeKind === 'map') {
  const store = new UnboundedStore();
  adapter = (model) => new MemoryAdapter(model, store);
} else if (storeKind !== 'lru') {
  process.stderr.write(`peer: PEER_STORE must be lru or map, got ${storeKind}\n`);
  process.exit(2);
}

// Listen first (port 0 = a free port), then build the provider with the issuer that matches the port and
// hand every request to its Koa callback.
const server = http.createServer();
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

server.listen(wantedPort, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    ...(adapter ? { adapter } : {}),
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'read write',
      },
    ],
    scopes: ['openid', 'offline_access', 'read', 'write'],
    features: {
      clientCredentials: { enabled: true },
      // Without a resource indicator the access token is opaque (stored in the adapter), which is the
      // comparison we want: random token + store insert, like oauthsim.
      resourceIndicators: { enabled: false },
      devInteractions: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: false },
    },
    ttl: {
      ClientCredentials: 600,
    },
  });
  provider.proxy = false;

  // The provider emits events on errors; keep them quiet per request (a summary counter instead).
  let serverErrors = 0;
  provider.on('server_error', () => { serverErrors += 1; });
  process.on('SIGTERM', () => {
    if (serverErrors) process.stderr.write(`peer: ${serverErrors} server_error events\n`);
    server.close();
    process.exit(0);
  });

  server.on('request', provider.callback());
  process.stdout.write(`peer listening on ${issuer} (store ${storeKind})\n`);
});

/**
 * Route config of the endpoints that need no token (probes and the scrape). Everything else,
 * including unknown paths, requires the token when one is configured: deny by default, so a
 * route added later cannot be left open by forgetting a hook.
 */
export const PUBLIC_ROUTE = Object.freeze({ public: true });

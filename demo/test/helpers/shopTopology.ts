import { parseTopology } from '../../src/topology/loadTopology.js';
import type { Topology } from '../../src/topology/types.js';

/**
 * A small topology exercising every feature of a request: sequential and parallel calls, an
 * optional failing dependency, a call that is never made, a two-hop chain and an error that
 * propagates through two hops.
 */
export const SHOP_YAML = `
name: shop
namespace: shop
defaults: { latency: { medianMs: 1, p99Ms: 3 }, cpuMsPerRequest: 0.1, memoryBytes: 1048576, payloadBytes: 100 }
services:
  frontend:
    payloadBytes: 5000
    endpoints:
      home:
        calls:
          - { service: catalog, endpoint: list }
          - { service: ads, endpoint: get, required: false }
      cart:
        calls:
          - { service: cart, endpoint: get }
      skip:
        calls:
          - { service: catalog, endpoint: list, probability: 0 }
      fan:
        parallel: true
        calls:
          - { service: catalog, endpoint: list }
          - { service: cart, endpoint: get }
      checkout:
        calls:
          - { service: payment, endpoint: charge }
  catalog: { payloadBytes: 700, endpoints: { list: {} } }
  cart:
    endpoints:
      get:
        calls: [ { service: db, endpoint: read } ]
  db: { endpoints: { read: {} } }
  ads: { errorRate: 1, endpoints: { get: {} } }
  payment:
    endpoints:
      charge:
        calls: [ { service: bank, endpoint: debit } ]
  bank: { errorRate: 1, endpoints: { debit: {} } }
entrypoints:
  - { service: frontend, endpoint: home }
`;

export function shopTopology(): Topology {
  return parseTopology(SHOP_YAML, 'shop.yaml');
}

// The bench's two subgraphs: `events` pushes a product's changes over graphql-ws, `products`
// owns the products, so each event's `product { name version }` is a field of another subgraph.
// A product's `version` goes up by one just before each of its events is published, and the
// event carries the version it was published at: a viewer that gets `product.version` below the
// event's `version` got data from before the event (stale). `name` is the tenant's own: products
// answers it from the `x-tenant` header the gateway sends, so an answer meant for another tenant
// shows.

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])`;

export const EVENTS_SDL = `${LINK}
type Query { eventsHealth: Boolean }
type Subscription { productChanged(id: ID!): ProductChange! }
type ProductChange { seq: Int! version: Int! product: Product! }
type Product @key(fields: "id", resolvable: false) { id: ID! }`;

export const PRODUCTS_SDL = `${LINK}
type Query { product(id: ID!): Product }
type Product @key(fields: "id") { id: ID! name: String! version: Int! }`;

/** What every viewer subscribes to: the event's own fields, and two of the products subgraph. */
export const SUBSCRIPTION = `subscription ProductChanges($id: ID!) {
  productChanged(id: $id) { seq version product { id name version } }
}`;

/** The name products gives product `id` for `tenant`. */
export const productName = (tenant: string, id: string) => `${tenant}'s ${id}`;

/** The product id of stream `s`. */
export const productOf = (stream: number) => `p${stream}`;

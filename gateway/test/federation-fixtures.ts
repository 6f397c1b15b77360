// What a federation executor is tested over: small supergraphs that are not Mary's, served in the
// test process and composed here, and the executors that run them (plain @apollo/gateway, Mary's
// federation core, and whatever executor comes next: one line in `executors`).
//
// Two supergraphs, and a copy of the first with one subgraph down:
// - commerce: users, products, reviews, inventory. Entities across hops (users → reviews →
//   products → users → reviews), @requires (of a field with an argument, by a field with an
//   argument, of an @inaccessible field), @provides + @external, a @shareable field two subgraphs
//   resolve, @inaccessible fields, types and enum values, enums and custom scalars, a list of
//   lists, mutations in two subgraphs, and fields whose resolvers fail on purpose.
// - media: catalog owns the entity interface Media (Book, Movie), ratings adds fields to every
//   Media through @interfaceObject, shop owns the union SearchResult (Book | Movie | Author, each
//   owned elsewhere) and a list of lists of Books, people owns Author.
// - commerce-inventory-down: commerce, with inventory's URL pointing at a port nothing listens on.
// - orders: orders whose lines name the same items, and whose customers are the same, many times
//   over (entities sharing one representation at one plan path); items owns Item (one it fails
//   to resolve, one whose price fails) and names each one's Maker, which directory owns with
//   Customer.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloGateway } from "@apollo/gateway";
import {
  ApolloServer,
  type ApolloServerOptionsWithGateway,
  type ApolloServerPlugin,
  type BaseContext,
} from "@apollo/server";
import { GraphQLError, type DocumentNode } from "graphql";
import { createFederation } from "../src/core/federation.ts";
import { composeSupergraph, federatedSdl, serveSubgraph, type TestSubgraph } from "./test-subgraph.ts";

// ---------------------------------------------------------------------------------------------
// Executors

/** A GraphQL response as a client reads it (JSON), from one executor. */
export interface ResponseJson {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface OperationRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** One executor serving one supergraph. */
export interface RunningExecutor {
  execute: (request: OperationRequest) => Promise<ResponseJson>;
  stop: () => Promise<void>;
}

export interface FederationExecutor {
  /** The name cases use in `knownDifferences`. */
  name: string;
  /** Serves the supergraph (its routing URLs are the test subgraphs' own). */
  start: (supergraphSdl: string) => Promise<RunningExecutor>;
}

/** Runs operations through an ApolloServer in front of the gateway, as a client would see them. */
export async function serveGateway(
  gateway: ApolloServerOptionsWithGateway<BaseContext>["gateway"],
): Promise<RunningExecutor> {
  const server = new ApolloServer({ gateway, includeStacktraceInErrorResponses: false });
  await server.start();
  return {
    execute: async (request) => {
      const response = await server.executeOperation(request);
      if (response.body.kind !== "single") throw new Error("expected a single result");
      // Through JSON, as a client gets it: GraphQLErrors become their serialized form.
      return JSON.parse(JSON.stringify(response.body.singleResult)) as ResponseJson;
    },
    stop: () => server.stop(),
  };
}

/**
 * The executors every case runs against. A new executor is one more entry, and is held to the
 * expected results unless a case lists it in `knownDifferences`.
 */
export const executors: FederationExecutor[] = [
  { name: "plain", start: (supergraphSdl) => serveGateway(new ApolloGateway({ supergraphSdl })) },
  {
    name: "mary-apollo",
    start: (supergraphSdl) => serveGateway(createFederation({ supergraphSdl, executor: "apollo" }).gateway),
  },
  // Mary's default: its plan executor (gateway/src/core/plan-executor.ts).
  { name: "mary-core", start: (supergraphSdl) => serveGateway(createFederation({ supergraphSdl }).gateway) },
];

/** The executors that run @apollo/gateway's query-plan executor (its known differences). */
export const APOLLO_EXECUTORS = ["plain", "mary-apollo"] as const;

/** The executors that plan with @apollo/query-planner (its known differences): all of them. */
export const APOLLO_PLANNER_EXECUTORS = ["plain", "mary-apollo", "mary-core"] as const;

// ---------------------------------------------------------------------------------------------
// commerce

/** What the mutations ran, in order: each mutation's answer shows the log as it was after it. */
const mutationLog: string[] = [];
export const resetMutationLog = () => void mutationLog.splice(0);

const fail = (message: string, code: string) => {
  throw new GraphQLError(message, { extensions: { code } });
};

const usersTypeDefs = federatedSdl(
  `
  type Query { me: User user(id: ID!): User users: [User!]! }
  type Mutation { visit(userId: ID!, label: String!): Visit! }
  type Visit { seen: [String!]! user: User }
  type User @key(fields: "id") {
    id: ID!
    name: String!
    username: String! @shareable
    nickname: String
    favoriteProduct: Product
  }
  type Product @key(fields: "upc", resolvable: false) { upc: ID! }`,
  ["@shareable"],
);

interface UserRow {
  id: string;
  name: string;
  username: string;
  nickname: string | null;
  favorite: string | null;
}
const userRows: Record<string, UserRow> = {
  u1: { id: "u1", name: "Ada", username: "ada", nickname: "Countess", favorite: "p2" },
  // Grace's favourite product no longer exists: products answers null for it.
  u2: { id: "u2", name: "Grace", username: "grace", nickname: null, favorite: "p404" },
  u3: { id: "u3", name: "Linus", username: "linus", nickname: null, favorite: null },
};

const usersResolvers = {
  Query: {
    me: () => userRows.u1,
    user: (_: unknown, { id }: { id: string }) => userRows[id] ?? null,
    users: () => Object.values(userRows),
  },
  Mutation: {
    visit: (_: unknown, { userId, label }: { userId: string; label: string }) => {
      mutationLog.push(label);
      return { seen: [...mutationLog], user: userRows[userId] ?? null };
    },
  },
  User: {
    __resolveReference: ({ id }: { id: string }) => userRows[id] ?? null,
    favoriteProduct: (user: UserRow) => (user.favorite ? { upc: user.favorite } : null),
  },
};

const productsTypeDefs = federatedSdl(
  `
  type Query {
    topProducts(first: Int = 5): [Product!]!
    product(upc: ID!): Product
    products(category: Category, releasedAfter: DateTime): [Product!]!
  }
  type Product @key(fields: "upc") {
    upc: ID!
    name: String! @shareable
    price(currency: Currency! = EUR): Int!
    weight: Int!
    category: Category!
    releasedAt: DateTime!
    attributes: JSON
    seller: User
    internalCode: String! @inaccessible
    audit: [AuditEntry!]! @inaccessible
  }
  type AuditEntry @inaccessible { at: DateTime! note: String! }
  type User @key(fields: "id", resolvable: false) { id: ID! }
  enum Category { KITCHEN GARDEN TOOLS LEGACY @inaccessible }
  enum Currency { EUR USD }
  scalar DateTime
  scalar JSON`,
  ["@shareable", "@inaccessible"],
);

interface ProductRow {
  upc: string;
  name: string;
  prices: Record<string, number>;
  weight: number;
  category: string;
  releasedAt: string;
  attributes: unknown;
  seller: string | null;
  internalCode: string;
  audit: { at: string; note: string }[];
}
const productRows: Record<string, ProductRow> = {
  p1: {
    upc: "p1",
    name: "Kettle",
    prices: { EUR: 30, USD: 33 },
    weight: 2,
    category: "KITCHEN",
    releasedAt: "2020-01-02T03:04:05.000Z",
    // A JSON scalar whose keys look like fields, nested objects, lists and a null: passed through as is.
    attributes: { color: "red", __typename: "NotAType", sizes: [1, 2], dims: { h: 20, w: 15 }, note: null },
    seller: "u1",
    internalCode: "K-1",
    audit: [{ at: "2020-01-01T00:00:00.000Z", note: "created" }],
  },
  p2: {
    upc: "p2",
    name: "Spade",
    prices: { EUR: 15, USD: 17 },
    weight: 3,
    category: "GARDEN",
    releasedAt: "2021-06-07T08:09:10.000Z",
    attributes: null,
    seller: "u2",
    internalCode: "S-2",
    audit: [],
  },
  p3: {
    upc: "p3",
    name: "Hammer",
    prices: { EUR: 12, USD: 13 },
    weight: 1,
    category: "TOOLS",
    releasedAt: "2019-03-04T05:06:07.000Z",
    attributes: ["steel", 2],
    seller: null,
    internalCode: "H-3",
    audit: [],
  },
  // Only by `product(upc: "p9")`: its category is an enum value the API schema does not have.
  p9: {
    upc: "p9",
    name: "Oil lamp",
    prices: { EUR: 5, USD: 6 },
    weight: 1,
    category: "LEGACY",
    releasedAt: "1901-01-01T00:00:00.000Z",
    attributes: null,
    seller: null,
    internalCode: "L-9",
    audit: [],
  },
};
const listedProducts = [productRows.p1!, productRows.p2!, productRows.p3!];

const productsResolvers = {
  Query: {
    topProducts: (_: unknown, { first }: { first: number }) => listedProducts.slice(0, first),
    product: (_: unknown, { upc }: { upc: string }) => productRows[upc] ?? null,
    products: (_: unknown, args: { category?: string | null; releasedAfter?: string | null }) =>
      listedProducts.filter(
        (product) =>
          (!args.category || product.category === args.category) &&
          (!args.releasedAfter || product.releasedAt > args.releasedAfter),
      ),
  },
  Product: {
    __resolveReference: ({ upc }: { upc: string }) => productRows[upc] ?? null,
    price: (product: ProductRow, { currency }: { currency: string }) => product.prices[currency],
    seller: (product: ProductRow) => (product.seller ? { id: product.seller } : null),
  },
};

const reviewsTypeDefs = federatedSdl(
  `
  type Query { reviews: [Review!]! }
  type Mutation { addReview(input: ReviewInput!): AddReviewResult! }
  input ReviewInput { upc: ID! authorId: ID! body: String! rating: Int }
  type AddReviewResult { seen: [String!]! review: Review! }
  type Review @key(fields: "id") {
    id: ID!
    body: String!
    rating: Int
    author: User! @provides(fields: "username")
    product: Product!
  }
  type User @key(fields: "id") { id: ID! username: String! @external reviews: [Review!]! }
  type Product @key(fields: "upc") { upc: ID! name: String! @shareable reviews: [Review!]! }`,
  ["@shareable", "@provides", "@external"],
);

interface ReviewRow {
  id: string;
  upc: string;
  authorId: string;
  body: string;
  /** "hidden": the rating's resolver fails. */
  rating: number | null | "hidden";
}
const reviewRows: ReviewRow[] = [
  { id: "r1", upc: "p1", authorId: "u1", body: "Boils fast", rating: 5 },
  { id: "r2", upc: "p2", authorId: "u1", body: "Sturdy", rating: 4 },
  { id: "r3", upc: "p1", authorId: "u2", body: "Loud", rating: "hidden" },
  { id: "r4", upc: "p3", authorId: "u3", body: "Heavy", rating: null },
];
const usernames: Record<string, string> = { u1: "ada", u2: "grace", u3: "linus" };
const productNames: Record<string, string> = { p1: "Kettle", p2: "Spade", p3: "Hammer" };

const reviewsResolvers = {
  Query: { reviews: () => reviewRows },
  Mutation: {
    addReview: (_: unknown, { input }: { input: { upc: string; authorId: string; body: string; rating?: number } }) => {
      mutationLog.push(`review:${input.body}`);
      const review: ReviewRow = { id: "r-new", ...input, rating: input.rating ?? null };
      return { seen: [...mutationLog], review };
    },
  },
  Review: {
    __resolveReference: ({ id }: { id: string }) => reviewRows.find((review) => review.id === id) ?? null,
    rating: (review: ReviewRow) =>
      review.rating === "hidden" ? fail("Rating hidden by moderation", "RATING_HIDDEN") : review.rating,
    author: (review: ReviewRow) => ({ id: review.authorId, username: usernames[review.authorId] }),
    product: (review: ReviewRow) => ({ upc: review.upc, name: productNames[review.upc] }),
  },
  User: {
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    reviews: ({ id }: { id: string }) => reviewRows.filter((review) => review.authorId === id),
  },
  Product: {
    __resolveReference: ({ upc }: { upc: string }) => (productNames[upc] ? { upc, name: productNames[upc] } : null),
    reviews: ({ upc }: { upc: string }) => reviewRows.filter((review) => review.upc === upc),
  },
};

const inventoryTypeDefs = federatedSdl(
  `
  type Product @key(fields: "upc") {
    upc: ID!
    weight: Int! @external
    price(currency: Currency! = EUR): Int! @external
    internalCode: String! @external
    inStock: Boolean
    warehouse: String @requires(fields: "internalCode")
    shippingEstimate(zip: String): Int! @requires(fields: "weight price(currency: EUR)")
    stockByWarehouse: [[Int!]!]!
  }
  enum Currency { EUR USD }`,
  ["@external", "@requires"],
);

const stock: Record<string, number[][]> = { p1: [[1, 2], [3]], p2: [[]], p3: [[0], [0, 0]] };

interface InventoryProduct {
  upc: string;
  weight?: number;
  price?: number;
  internalCode?: string;
}
const inventoryResolvers = {
  Product: {
    __resolveReference: (reference: InventoryProduct) => reference,
    inStock: ({ upc }: InventoryProduct) =>
      upc === "p2" ? fail("Stock unknown for p2", "STOCK_UNKNOWN") : ({ p1: true, p3: false }[upc] ?? null),
    warehouse: ({ internalCode }: InventoryProduct) => `Aisle ${internalCode}`,
    // 2 per kilo, 4 more under 20 EUR, 10 more to a zip code starting with 9; none to 00000.
    shippingEstimate: ({ weight, price }: InventoryProduct, { zip }: { zip?: string | null }) => {
      if (zip === "00000") fail("No delivery to 00000", "NO_DELIVERY");
      if (weight === undefined || price === undefined) throw new Error("weight and price are required");
      return weight * 2 + (price < 20 ? 4 : 0) + (zip?.startsWith("9") ? 10 : 0);
    },
    stockByWarehouse: ({ upc }: InventoryProduct) => stock[upc] ?? [],
  },
};

// ---------------------------------------------------------------------------------------------
// media

const catalogTypeDefs = federatedSdl(`
  type Query { media: [Media!]! mediaItem(id: ID!): Media books(format: Format): [Book!]! }
  interface Media @key(fields: "id") { id: ID! title: String! }
  type Book implements Media @key(fields: "id") {
    id: ID!
    title: String!
    pages: Int!
    format: Format!
    author: Author!
  }
  type Movie implements Media @key(fields: "id") { id: ID! title: String! runtime: Int! }
  type Author @key(fields: "id", resolvable: false) { id: ID! }
  enum Format { PRINT EBOOK AUDIO }`);

interface MediaRow {
  kind: "Book" | "Movie";
  id: string;
  title: string;
  pages?: number;
  format?: string;
  authorId?: string;
  runtime?: number;
}
const mediaRows: Record<string, MediaRow> = {
  b1: { kind: "Book", id: "b1", title: "Dune", pages: 412, format: "PRINT", authorId: "a1" },
  m1: { kind: "Movie", id: "m1", title: "Alien", runtime: 117 },
  b2: { kind: "Book", id: "b2", title: "Emma", pages: 320, format: "EBOOK", authorId: "a2" },
  m2: { kind: "Movie", id: "m2", title: "Heat", runtime: 170 },
  b3: { kind: "Book", id: "b3", title: "Ubik", pages: 202, format: "AUDIO", authorId: "a3" },
};
const ofKind = (kind: MediaRow["kind"]) => (reference: { id: string }) => {
  const row = mediaRows[reference.id];
  return row?.kind === kind ? row : null;
};

const catalogResolvers = {
  Query: {
    media: () => Object.values(mediaRows),
    mediaItem: (_: unknown, { id }: { id: string }) => mediaRows[id] ?? null,
    books: (_: unknown, { format }: { format?: string | null }) =>
      Object.values(mediaRows).filter((row) => row.kind === "Book" && (!format || row.format === format)),
  },
  Media: {
    __resolveReference: ({ id }: { id: string }) => mediaRows[id] ?? null,
    __resolveType: (row: MediaRow) => row.kind,
  },
  Book: { __resolveReference: ofKind("Book"), author: (row: MediaRow) => ({ id: row.authorId }) },
  Movie: { __resolveReference: ofKind("Movie") },
};

const ratingsTypeDefs = federatedSdl(
  `
  type Query { topRated(limit: Int!): [Media!]! }
  type Media @key(fields: "id") @interfaceObject { id: ID! rating: Float! ratingCount: Int! }`,
  ["@interfaceObject"],
);

const ratings: Record<string, [number, number]> = {
  b1: [4.5, 10],
  m1: [4.8, 20],
  b2: [3.9, 4],
  m2: [4.2, 5],
  b3: [4.1, 2],
};
const ratingsResolvers = {
  Query: {
    topRated: (_: unknown, { limit }: { limit: number }) =>
      Object.entries(ratings)
        .sort(([, a], [, b]) => b[0] - a[0])
        .slice(0, limit)
        .map(([id]) => ({ id })),
  },
  Media: {
    __resolveReference: ({ id }: { id: string }) => (ratings[id] ? { id } : null),
    rating: ({ id }: { id: string }) => ratings[id]![0],
    ratingCount: ({ id }: { id: string }) => ratings[id]![1],
  },
};

const shopTypeDefs = federatedSdl(`
  type Query { search(term: String!): [SearchResult!]! shelves: [[Book!]!]! }
  union SearchResult = Book | Movie | Author
  type Book @key(fields: "id") { id: ID! price: Int inStock: Boolean! }
  type Movie @key(fields: "id") { id: ID! streamingOn: [String!]! }
  type Author @key(fields: "id", resolvable: false) { id: ID! }`);

const searchIndex = [
  { __typename: "Book", id: "b1", text: "Dune" },
  { __typename: "Movie", id: "m1", text: "Alien" },
  { __typename: "Author", id: "a1", text: "Frank Herbert" },
  { __typename: "Book", id: "b2", text: "Emma" },
  { __typename: "Movie", id: "m2", text: "Heat" },
  { __typename: "Author", id: "a2", text: "Jane Austen" },
  { __typename: "Book", id: "b3", text: "Ubik" },
  { __typename: "Author", id: "a3", text: "Philip K. Dick" },
];
const shopResolvers = {
  Query: {
    search: (_: unknown, { term }: { term: string }) =>
      searchIndex
        .filter((entry) => entry.text.toLowerCase().includes(term.toLowerCase()))
        .map(({ __typename, id }) => ({ __typename, id })),
    shelves: () => [[{ id: "b1" }, { id: "b2" }], [{ id: "b3" }]],
  },
  SearchResult: { __resolveType: (entry: { __typename: string }) => entry.__typename },
  Book: {
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    // Dune 10, Emma not for sale (null), Ubik's price fails.
    price: ({ id }: { id: string }) =>
      id === "b3" ? fail("Price unavailable for b3", "PRICE_UNAVAILABLE") : ({ b1: 10 }[id] ?? null),
    inStock: ({ id }: { id: string }) => id !== "b2",
  },
  Movie: {
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    streamingOn: ({ id }: { id: string }) => ({ m1: ["Flix"], m2: [] })[id] ?? [],
  },
};

const peopleTypeDefs = federatedSdl(`
  type Query { authors: [Author!]! }
  type Author @key(fields: "id") { id: ID! name: String! books: [Book!]! }
  type Book @key(fields: "id", resolvable: false) { id: ID! }`);

const authorRows: Record<string, { id: string; name: string; books: string[] }> = {
  a1: { id: "a1", name: "Frank Herbert", books: ["b1"] },
  a2: { id: "a2", name: "Jane Austen", books: ["b2"] },
  a3: { id: "a3", name: "Philip K. Dick", books: ["b3"] },
};
const peopleResolvers = {
  Query: { authors: () => Object.values(authorRows) },
  Author: {
    __resolveReference: ({ id }: { id: string }) => authorRows[id] ?? null,
    books: (author: { books: string[] }) => author.books.map((id) => ({ id })),
  },
};

// ---------------------------------------------------------------------------------------------
// orders

const ordersTypeDefs = federatedSdl(`
  type Query { orders: [Order!]! returns: [Order!]! order(id: ID!): Order }
  type Order { id: ID! customer: Customer! lines: [OrderLine!]! }
  type OrderLine { quantity: Int! item: Item }
  type Item @key(fields: "sku", resolvable: false) { sku: ID! }
  type Customer @key(fields: "id", resolvable: false) { id: ID! }`);

interface OrderRow {
  id: string;
  customer: string;
  /** Each line's item (null: one no longer sold); the n-th line's quantity is n. */
  skus: (string | null)[];
}
const orderRows: Record<string, OrderRow> = {
  o1: { id: "o1", customer: "c1", skus: ["i1", "i2", "i1"] },
  o2: { id: "o2", customer: "c2", skus: ["i1", null, "i3"] },
  o3: { id: "o3", customer: "c1", skus: ["i2", "i1"] },
  // Returned: the recalled item i9 and i4, whose price fails, in both, i9 twice in o9.
  o8: { id: "o8", customer: "c1", skus: ["i9", "i4", "i2"] },
  o9: { id: "o9", customer: "c2", skus: ["i4", "i1", "i9", "i9"] },
  // Only by `order(id: "o7")`: i9 twice, after a line without an item.
  o7: { id: "o7", customer: "c2", skus: [null, "i9", "i1", "i9"] },
};
const toOrder = ({ id, customer, skus }: OrderRow) => ({
  id,
  customer: { id: customer },
  lines: skus.map((sku, index) => ({ quantity: index + 1, item: sku ? { sku } : null })),
});
const ordersOf = (...ids: string[]) => ids.map((id) => toOrder(orderRows[id]!));

const ordersResolvers = {
  Query: {
    orders: () => ordersOf("o1", "o2", "o3"),
    returns: () => ordersOf("o8", "o9"),
    order: (_: unknown, { id }: { id: string }) => (orderRows[id] ? toOrder(orderRows[id]) : null),
  },
};

const itemsTypeDefs = federatedSdl(`
  type Item @key(fields: "sku") { sku: ID! name: String price: Int maker: Maker }
  type Maker @key(fields: "id", resolvable: false) { id: ID! }`);

interface ItemRow {
  sku: string;
  name: string;
  price: number;
  maker: string;
}
const itemRows: Record<string, ItemRow> = {
  i1: { sku: "i1", name: "Teapot", price: 20, maker: "m1" },
  i2: { sku: "i2", name: "Cup", price: 5, maker: "m1" },
  i3: { sku: "i3", name: "Tray", price: 12, maker: "m2" },
  i4: { sku: "i4", name: "Saucer", price: 3, maker: "m2" },
};
const itemsResolvers = {
  Item: {
    // Fails for i9 alone: `_entities.<i>` (async, as a reference resolver that loads is; one
    // that throws at once fails the whole `_entities` list, every representation's answer).
    __resolveReference: async ({ sku }: { sku: string }) =>
      sku === "i9" ? fail("Item i9 is recalled", "ITEM_RECALLED") : (itemRows[sku] ?? null),
    price: (item: ItemRow) => (item.sku === "i4" ? fail("Price unavailable for i4", "PRICE_UNAVAILABLE") : item.price),
    maker: (item: ItemRow) => ({ id: item.maker }),
  },
};

const directoryTypeDefs = federatedSdl(`
  type Customer @key(fields: "id") { id: ID! name: String! }
  type Maker @key(fields: "id") { id: ID! name: String! country: String! }`);

const customerNames: Record<string, string> = { c1: "Ines", c2: "Omar" };
const makerRows: Record<string, { id: string; name: string; country: string }> = {
  m1: { id: "m1", name: "Potters", country: "PT" },
  m2: { id: "m2", name: "Woodworks", country: "SE" },
};
const directoryResolvers = {
  Customer: {
    __resolveReference: ({ id }: { id: string }) => (customerNames[id] ? { id, name: customerNames[id] } : null),
  },
  Maker: { __resolveReference: ({ id }: { id: string }) => makerRows[id] ?? null },
};

// ---------------------------------------------------------------------------------------------
// Serving them

export const SUPERGRAPHS = ["commerce", "media", "commerce-inventory-down", "orders"] as const;
export type SupergraphName = (typeof SUPERGRAPHS)[number];

interface SubgraphDefinition {
  name: string;
  typeDefs: DocumentNode;
  resolvers: object;
}

const commerce: SubgraphDefinition[] = [
  { name: "users", typeDefs: usersTypeDefs, resolvers: usersResolvers },
  { name: "products", typeDefs: productsTypeDefs, resolvers: productsResolvers },
  { name: "reviews", typeDefs: reviewsTypeDefs, resolvers: reviewsResolvers },
  { name: "inventory", typeDefs: inventoryTypeDefs, resolvers: inventoryResolvers },
];
const media: SubgraphDefinition[] = [
  { name: "catalog", typeDefs: catalogTypeDefs, resolvers: catalogResolvers },
  { name: "ratings", typeDefs: ratingsTypeDefs, resolvers: ratingsResolvers },
  { name: "shop", typeDefs: shopTypeDefs, resolvers: shopResolvers },
  { name: "people", typeDefs: peopleTypeDefs, resolvers: peopleResolvers },
];
const orders: SubgraphDefinition[] = [
  { name: "orders", typeDefs: ordersTypeDefs, resolvers: ordersResolvers },
  { name: "items", typeDefs: itemsTypeDefs, resolvers: itemsResolvers },
  { name: "directory", typeDefs: directoryTypeDefs, resolvers: directoryResolvers },
];

export interface Fixtures {
  supergraphs: Record<SupergraphName, string>;
  /** HTTP requests each subgraph has been sent so far, by subgraph name. */
  requests: Record<string, number>;
  /**
   * The representations of each entity fetch (`_entities`) each subgraph has been sent so far,
   * one list per request, in the order the requests came, by subgraph name.
   */
  representations: Record<string, unknown[][]>;
  close: () => Promise<void>;
}

/** Records the `representations` of each operation a subgraph runs that has them. */
const representationLog = (log: unknown[][]): ApolloServerPlugin => ({
  requestDidStart: async ({ request }) => {
    const representations = request.variables?.representations;
    if (Array.isArray(representations)) log.push(representations);
  },
});

/** A URL on a port that was free a moment ago and that nothing listens on now. */
async function deadUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}/graphql`;
}

/** Serves every subgraph and composes the supergraphs over their URLs. */
export async function serveFixtures(): Promise<Fixtures> {
  const requests: Record<string, number> = {};
  const representations: Record<string, unknown[][]> = {};
  const served: TestSubgraph[] = [];
  const urls: Record<string, string> = {};
  await Promise.all(
    [...commerce, ...media, ...orders].map(async ({ name, typeDefs, resolvers }) => {
      requests[name] = 0;
      const log: unknown[][] = (representations[name] = []);
      const subgraph = await serveSubgraph(typeDefs, resolvers, {
        onRequest: () => void requests[name]!++,
        plugins: [representationLog(log)],
      });
      served.push(subgraph);
      urls[name] = subgraph.url;
    }),
  );
  const compose = (definitions: SubgraphDefinition[], overrides: Record<string, string> = {}) =>
    composeSupergraph(
      definitions.map(({ name, typeDefs }) => ({ name, typeDefs, url: overrides[name] ?? urls[name]! })),
    );
  return {
    supergraphs: {
      commerce: compose(commerce),
      media: compose(media),
      "commerce-inventory-down": compose(commerce, { inventory: await deadUrl() }),
      orders: compose(orders),
    },
    requests,
    representations,
    close: async () => void (await Promise.all(served.map((subgraph) => subgraph.close()))),
  };
}

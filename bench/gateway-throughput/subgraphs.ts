// The public gateways benchmark's four subgraphs (The Guild's graphql-gateways-benchmark:
// accounts, inventory, products, reviews), written for Node with @apollo/subgraph: the same
// schemas, the same data, the same answers. Also the query the benchmark sends and the data it
// must get back, computed here from the tables and not from any gateway.
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse, type DocumentNode, type GraphQLSchema } from "graphql";

/** A subgraph's SDL with federation 2's `@link`, importing `@key` and whatever else is named. */
const federatedSdl = (sdl: string, imports: string[] = []) =>
  parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ${JSON.stringify(["@key", ...imports])})
${sdl}`);

interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}
interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
interface Review {
  id: string;
  body: string;
  product: { upc: string };
}

const USERS: User[] = [
  { id: "1", name: "Uri Goldshtein", username: "urigo", birthday: 1234567890 },
  { id: "2", name: "Dotan Simha", username: "dotansimha", birthday: 1234567890 },
  { id: "3", name: "Kamil Kisiela", username: "kamilkisiela", birthday: 1234567890 },
  { id: "4", name: "Arda Tanrikulu", username: "ardatan", birthday: 1234567890 },
  { id: "5", name: "Gil Gardosh", username: "gilgardosh", birthday: 1234567890 },
  { id: "6", name: "Laurin Quast", username: "laurin", birthday: 1234567890 },
];

const PRODUCTS: Product[] = [
  { upc: "1", name: "Table", price: 899, weight: 100 },
  { upc: "2", name: "Couch", price: 1299, weight: 1000 },
  { upc: "3", name: "Glass", price: 15, weight: 20 },
  { upc: "4", name: "Chair", price: 499, weight: 100 },
  { upc: "5", name: "TV", price: 1299, weight: 1000 },
  { upc: "6", name: "Lamp", price: 6999, weight: 300 },
  { upc: "7", name: "Grill", price: 3999, weight: 2000 },
  { upc: "8", name: "Fridge", price: 100000, weight: 6000 },
  { upc: "9", name: "Sofa", price: 9999, weight: 800 },
];

const IN_STOCK = new Map([
  ["1", true],
  ["2", false],
  ["3", false],
  ["4", false],
  ["5", true],
  ["6", true],
  ["7", true],
  ["8", false],
  ["9", true],
]);

// The benchmark's review bodies: lorem ipsum of four lengths, so answers weigh what theirs do.
const LOREM_A =
  "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";
const LOREM_B =
  "Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae dicta sunt explicabo. Nemo enim ipsam voluptatem quia voluptas sit aspernatur aut odit aut fugi";
const LOREM_C =
  "sed quia consequuntur magni dolores eos qui ratione voluptatem sequi nesciunt. Neque porro quisquam est, qui dolorem ipsum quia dolor sit amet, consectetur, adipisci velit, sed quia non numquam eius modi tempora incidunt ut labore et dolore magnam aliquam quaerat voluptatem.";
const LOREM_D =
  "Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit laboriosam, nisi ut aliquid ex ea commodi consequatur? Quis autem";
const LOREM_E =
  "At vero eos et accusamus et iusto odio dignissimos ducimus qui blanditiis praesentium voluptatum deleniti atque corrupti quos dolores et quas molestias excepturi sint occaecati cupiditate non provident, similique sunt in culpa qui officia deserunt mollitia animi, id est laborum et dolorum fuga. Et harum quidem rerum facilis est et expedita distinctio. Nam libero tempore, cum soluta nobis est eligendi optio cumque nihil impedit quo minus id quod maxime placeat facere possimus, omnis voluptas assumenda est, omnis dolor repellendus. Temporibus autem quibusdam et aut officiis debitis aut rerum necessitatibus saepe eveniet ut et voluptates repudiandae sint et molestiae non recusandae. Itaque earum rerum hic tenetur a sapiente delectus, ut aut reiciendis voluptatibus maiores alias consequatur aut perferendis doloribus asperiores repellat.";

/** 11 reviews over products 1..4. */
const REVIEWS: Review[] = (
  [
    ["1", LOREM_A, "1"],
    ["2", LOREM_B, "1"],
    ["3", LOREM_C, "1"],
    ["4", LOREM_D, "1"],
    ["5", LOREM_A, "2"],
    ["6", LOREM_B, "2"],
    ["7", LOREM_C, "2"],
    ["8", LOREM_D, "2"],
    ["9", LOREM_D, "3"],
    ["10", LOREM_D, "4"],
    ["11", LOREM_E, "4"],
  ] as const
).map(([id, body, upc]) => ({ id, body, product: { upc } }));

/** Every user's reviews, in the benchmark: the first two. */
const USER_REVIEWS = REVIEWS.slice(0, 2);
/** Every review's author, in the benchmark: user 1, with its username provided. */
const AUTHOR = { id: "1", username: "urigo" };

const reviewsOfProduct = (upc: string) => REVIEWS.filter((review) => review.product.upc === upc);
const shippingEstimate = ({ price, weight }: { price?: number | null; weight?: number | null }) => {
  if (price == null) return null;
  if (price > 1000) return 0;
  return weight == null ? null : Math.trunc(weight / 2);
};

export interface SubgraphDefinition {
  name: "accounts" | "inventory" | "products" | "reviews";
  typeDefs: DocumentNode;
  schema: GraphQLSchema;
}

const definition = (name: SubgraphDefinition["name"], typeDefs: DocumentNode, resolvers: object) => ({
  name,
  typeDefs,
  schema: buildSubgraphSchema([{ typeDefs, resolvers: resolvers as never }]),
});

export const SUBGRAPHS: SubgraphDefinition[] = [
  definition(
    "accounts",
    // Federation 2 wants a field that another subgraph @provides to be @shareable where it is
    // defined (the benchmark's subgraphs are federation 1 SDL, where every field is).
    federatedSdl(
      `
      type Query { me: User user(id: ID!): User users: [User] }
      type User @key(fields: "id") { id: ID! name: String username: String @shareable birthday: Int }`,
      ["@shareable"],
    ),
    {
      Query: {
        me: () => USERS[0],
        user: (_: unknown, { id }: { id: string }) => USERS.find((user) => user.id === id) ?? null,
        users: () => USERS,
      },
      User: { __resolveReference: ({ id }: { id: string }) => USERS.find((user) => user.id === id) ?? null },
    },
  ),
  definition(
    "products",
    federatedSdl(`
      type Query { topProducts(first: Int = 5): [Product] }
      type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`),
    {
      Query: { topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first) },
      Product: {
        __resolveReference: ({ upc }: { upc: string }) => PRODUCTS.find((product) => product.upc === upc) ?? null,
      },
    },
  ),
  definition(
    "inventory",
    federatedSdl(
      `
      type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price: Int @external
        inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }`,
      ["@external", "@requires"],
    ),
    {
      Product: {
        __resolveReference: (reference: { upc: string; price?: number; weight?: number }) => ({
          ...reference,
          inStock: IN_STOCK.get(reference.upc) ?? null,
        }),
        shippingEstimate,
      },
    },
  ),
  definition(
    "reviews",
    federatedSdl(
      `
      type Review @key(fields: "id") { id: ID! body: String product: Product author: User @provides(fields: "username") }
      type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
      type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
      ["@external", "@provides"],
    ),
    {
      Review: {
        __resolveReference: ({ id }: { id: string }) => REVIEWS.find((review) => review.id === id) ?? null,
        author: () => AUTHOR,
      },
      User: {
        __resolveReference: ({ id }: { id: string }) => ({ id }),
        reviews: () => USER_REVIEWS,
      },
      Product: {
        __resolveReference: ({ upc }: { upc: string }) => ({ upc }),
        reviews: ({ upc }: { upc: string }) => reviewsOfProduct(upc),
      },
    },
  ),
];

/** The benchmark's query, exactly as its load generator sends it. */
export const QUERY = `fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } }
  topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } }
}`;

/** The data QUERY must return, from the tables above (no gateway involved). */
export function expectedData() {
  const product = (upc: string) => {
    const { name, price, weight } = PRODUCTS.find((p) => p.upc === upc)!;
    return {
      inStock: IN_STOCK.get(upc)!,
      name,
      price,
      shippingEstimate: shippingEstimate({ price, weight }),
      upc,
      weight,
    };
  };
  const user = (id: string) => {
    const { username, name } = USERS.find((u) => u.id === id)!;
    return { id, username, name };
  };
  const review = ({ id, body }: Review) => ({ id, body });
  // The author's username comes from reviews (@provides), the rest from accounts: both "urigo".
  const author = () => ({
    ...user(AUTHOR.id),
    username: AUTHOR.username,
    reviews: USER_REVIEWS.map((r) => ({ ...review(r), product: product(r.product.upc) })),
  });
  const productWithReviews = (upc: string) => ({
    ...product(upc),
    reviews: reviewsOfProduct(upc).map((r) => ({ ...review(r), author: author() })),
  });
  return {
    users: USERS.map((u) => ({
      ...user(u.id),
      reviews: USER_REVIEWS.map((r) => ({ ...review(r), product: productWithReviews(r.product.upc) })),
    })),
    topProducts: PRODUCTS.slice(0, 5).map((p) => productWithReviews(p.upc)),
  };
}

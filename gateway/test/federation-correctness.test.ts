// What a federation executor must get right, over supergraphs that are not Mary's (see
// federation-fixtures.ts), checked for every executor in `executors`: plain @apollo/gateway,
// Mary's federation core, and any executor added there later.
//
// Each case writes down the right answer: data (with its keys in the order the query asks for
// them), errors (message, path, and the code a subgraph set), and for some cases how many requests
// each subgraph gets (zero where @provides, @shareable, @skip or the root __typename make a fetch
// needless; one where entities must be fetched in one batch), and for some the representations
// each entity fetch sent. Errors are compared as a set: the spec does not order them. Extensions
// are compared only where a case names them.
//
// Where an executor is known to answer otherwise, the case says so in `knownDifferences` with
// what that executor answers today and, in a comment, why the expected answer is the right one.
// Such an executor is held to its known answer, so that a fix (or a new way of being wrong)
// shows here and the difference can be removed.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  APOLLO_EXECUTORS,
  APOLLO_PLANNER_EXECUTORS,
  executors,
  resetMutationLog,
  serveFixtures,
  SUPERGRAPHS,
  type Fixtures,
  type ResponseJson,
  type RunningExecutor,
  type SupergraphName,
} from "./federation-fixtures.ts";

type Path = (string | number)[];

interface ExpectedError {
  /** The exact message, or a pattern where the spec leaves the wording to the executor. */
  message: string | RegExp;
  /** Where in the response; absent: the error must have no path. */
  path?: Path;
  /** The path is not checked (a failed fetch covering many fields has no single one). */
  anyPath?: true;
  /** `extensions.code`, checked only when given. */
  code?: string;
  /** `extensions.serviceName` (the subgraph the error came from), checked only when given. */
  serviceName?: string;
}

interface Expected {
  /** `undefined`: the response has no `data` (a request error); `null`: data nulled at the root. */
  data?: Record<string, unknown> | null;
  /** Absent: no errors at all. */
  errors?: ExpectedError[];
  /** Checked only when given. */
  extensions?: Record<string, unknown>;
  /**
   * The representations the entity fetches (`_entities`) to each named subgraph sent, one list
   * per request (the requests in any order, each one's representations in order).
   */
  representations?: Record<string, unknown[][]>;
}

interface Case {
  name: string;
  supergraph: SupergraphName;
  query: string;
  variables?: Record<string, unknown>;
  expected: Expected;
  /** Requests each named subgraph must get for this operation. */
  fetches?: Record<string, number>;
  /** Runs before the operation, for each executor. */
  setup?: () => void;
  /** What the named executors answer instead of `expected` (see the comment at each). */
  knownDifferences?: Record<string, Expected>;
}

/** The same known difference for every executor that runs @apollo/gateway's executor. */
const apolloAnswers = (answer: Expected): Record<string, Expected> =>
  Object.fromEntries(APOLLO_EXECUTORS.map((name) => [name, answer]));

/** The same known difference for every executor whose plans come from @apollo/query-planner. */
const plannerAnswers = (answer: Expected): Record<string, Expected> =>
  Object.fromEntries(APOLLO_PLANNER_EXECUTORS.map((name) => [name, answer]));

const productFields = [
  "upc",
  "weight",
  "price",
  "inStock",
  "warehouse",
  "shippingEstimate",
  "stockByWarehouse",
  "name",
  "category",
  "releasedAt",
  "attributes",
  "seller",
  "reviews",
];

/** Representations of entities of one type with a one-field key. */
const representations = (typename: string, key: string, ...values: string[]) =>
  values.map((value) => ({ __typename: typename, [key]: value }));

const teapot = { sku: "i1", name: "Teapot", price: 20, maker: { name: "Potters", country: "PT" } };
const cup = { sku: "i2", name: "Cup", price: 5, maker: { name: "Potters", country: "PT" } };
const tray = { sku: "i3", name: "Tray", price: 12, maker: { name: "Woodworks", country: "SE" } };
/** Lines whose items repeat, customers that repeat: three distinct items, two makers, two customers. */
const sharedEntities: Expected = {
  data: {
    orders: [
      {
        id: "o1",
        customer: { name: "Ines" },
        lines: [
          { quantity: 1, item: teapot },
          { quantity: 2, item: cup },
          { quantity: 3, item: teapot },
        ],
      },
      {
        id: "o2",
        customer: { name: "Omar" },
        lines: [
          { quantity: 1, item: teapot },
          { quantity: 2, item: null },
          { quantity: 3, item: tray },
        ],
      },
      {
        id: "o3",
        customer: { name: "Ines" },
        lines: [
          { quantity: 1, item: cup },
          { quantity: 2, item: teapot },
        ],
      },
    ],
  },
  representations: {
    items: [representations("Item", "sku", "i1", "i2", "i3")],
    directory: [representations("Customer", "id", "c1", "c2"), representations("Maker", "id", "m1", "m2")],
  },
};

const recalled = (path: Path): ExpectedError => ({
  message: "Item i9 is recalled",
  path,
  code: "ITEM_RECALLED",
  serviceName: "items",
});
const priceUnavailable = (path: Path): ExpectedError => ({
  message: "Price unavailable for i4",
  path,
  code: "PRICE_UNAVAILABLE",
  serviceName: "items",
});
/** i9 (unresolvable) in both returned orders and twice in the second, i4 (price fails) in both. */
const sharedErrors: Expected = {
  data: {
    returns: [
      {
        id: "o8",
        lines: [
          { quantity: 1, item: { sku: "i9", name: null, price: null } },
          { quantity: 2, item: { sku: "i4", name: "Saucer", price: null } },
          { quantity: 3, item: { sku: "i2", name: "Cup", price: 5 } },
        ],
      },
      {
        id: "o9",
        lines: [
          { quantity: 1, item: { sku: "i4", name: "Saucer", price: null } },
          { quantity: 2, item: { sku: "i1", name: "Teapot", price: 20 } },
          { quantity: 3, item: { sku: "i9", name: null, price: null } },
          { quantity: 4, item: { sku: "i9", name: null, price: null } },
        ],
      },
    ],
  },
  errors: [
    recalled(["returns", 0, "lines", 0, "item"]),
    recalled(["returns", 1, "lines", 2, "item"]),
    recalled(["returns", 1, "lines", 3, "item"]),
    priceUnavailable(["returns", 0, "lines", 1, "item", "price"]),
    priceUnavailable(["returns", 1, "lines", 0, "item", "price"]),
  ],
  representations: { items: [representations("Item", "sku", "i9", "i4", "i2", "i1")] },
};
/** i9 twice, after a line without an item (an entity with no representation). */
const sharedErrorAfterNull: Expected = {
  data: {
    order: {
      lines: [
        { quantity: 1, item: null },
        { quantity: 2, item: { sku: "i9", name: null } },
        { quantity: 3, item: { sku: "i1", name: "Teapot" } },
        { quantity: 4, item: { sku: "i9", name: null } },
      ],
    },
  },
  errors: [recalled(["order", "lines", 1, "item"]), recalled(["order", "lines", 3, "item"])],
  representations: { items: [representations("Item", "sku", "i9", "i1")] },
};

const kettleAttributes = { color: "red", __typename: "NotAType", sizes: [1, 2], dims: { h: 20, w: 15 }, note: null };

const cases: Case[] = [
  // ----------------------------------------------------------------------------- commerce
  {
    name: "the root __typename alone asks no subgraph",
    supergraph: "commerce",
    query: `{ __typename }`,
    expected: { data: { __typename: "Query" } },
    fetches: { users: 0, products: 0, reviews: 0, inventory: 0 },
  },
  {
    name: "entities across five hops: users → reviews → products → users → reviews, each hop one batched fetch",
    supergraph: "commerce",
    query: `{ me { name reviews { body product { category seller { name reviews { body } } } } } }`,
    expected: {
      data: {
        me: {
          name: "Ada",
          reviews: [
            {
              body: "Boils fast",
              product: {
                category: "KITCHEN",
                seller: { name: "Ada", reviews: [{ body: "Boils fast" }, { body: "Sturdy" }] },
              },
            },
            {
              body: "Sturdy",
              product: { category: "GARDEN", seller: { name: "Grace", reviews: [{ body: "Loud" }] } },
            },
          ],
        },
      },
    },
    fetches: { users: 2, products: 1, reviews: 2, inventory: 0 },
  },
  {
    name: "@requires of a field with an argument (price(currency: EUR)), by a field with an argument",
    supergraph: "commerce",
    query: `{ topProducts { upc shippingEstimate near: shippingEstimate(zip: "10115") far: shippingEstimate(zip: "99999") } }`,
    expected: {
      data: {
        topProducts: [
          { upc: "p1", shippingEstimate: 4, near: 4, far: 14 },
          { upc: "p2", shippingEstimate: 10, near: 10, far: 20 },
          { upc: "p3", shippingEstimate: 6, near: 6, far: 16 },
        ],
      },
    },
    fetches: { products: 1, inventory: 1 },
  },
  {
    name: "@requires of price(currency: EUR) while the query asks price in USD under the same name",
    supergraph: "commerce",
    query: `{ topProducts(first: 2) { price(currency: USD) eur: price shippingEstimate } }`,
    expected: {
      data: {
        topProducts: [
          { price: 33, eur: 30, shippingEstimate: 4 },
          { price: 17, eur: 15, shippingEstimate: 10 },
        ],
      },
    },
  },
  {
    name: "@requires of an @inaccessible field",
    supergraph: "commerce",
    query: `{ product(upc: "p1") { name warehouse } }`,
    expected: { data: { product: { name: "Kettle", warehouse: "Aisle K-1" } } },
  },
  {
    name: "@provides + @external: the author's username comes from reviews, users is not asked",
    supergraph: "commerce",
    query: `{ reviews { body author { username } } }`,
    expected: {
      data: {
        reviews: [
          { body: "Boils fast", author: { username: "ada" } },
          { body: "Sturdy", author: { username: "ada" } },
          { body: "Loud", author: { username: "grace" } },
          { body: "Heavy", author: { username: "linus" } },
        ],
      },
    },
    fetches: { users: 0, reviews: 1 },
  },
  {
    name: "@provides covers only what it names: the author's name still comes from users",
    supergraph: "commerce",
    query: `{ reviews { author { username name } } }`,
    expected: {
      data: {
        reviews: [
          { author: { username: "ada", name: "Ada" } },
          { author: { username: "ada", name: "Ada" } },
          { author: { username: "grace", name: "Grace" } },
          { author: { username: "linus", name: "Linus" } },
        ],
      },
    },
    fetches: { users: 1, reviews: 1 },
  },
  {
    name: "@shareable Product.name: from reviews under a review, from products at the root",
    supergraph: "commerce",
    query: `{ reviews { product { name } } topProducts { name } }`,
    expected: {
      data: {
        reviews: [
          { product: { name: "Kettle" } },
          { product: { name: "Spade" } },
          { product: { name: "Kettle" } },
          { product: { name: "Hammer" } },
        ],
        topProducts: [{ name: "Kettle" }, { name: "Spade" }, { name: "Hammer" }],
      },
    },
    // One products fetch (topProducts): the reviews' product names need no hop.
    fetches: { products: 1, reviews: 1 },
  },
  {
    name: "__typename at every level, aliased too",
    supergraph: "commerce",
    query: `{ __typename me { __typename t: __typename reviews { __typename product { __typename seller { __typename } } } } }`,
    expected: {
      data: {
        __typename: "Query",
        me: {
          __typename: "User",
          t: "User",
          reviews: [
            { __typename: "Review", product: { __typename: "Product", seller: { __typename: "User" } } },
            { __typename: "Review", product: { __typename: "Product", seller: { __typename: "User" } } },
          ],
        },
      },
    },
  },
  {
    name: "aliases: the same entity twice, the same field with different arguments, names swapped",
    supergraph: "commerce",
    query: `{
      kettle: product(upc: "p1") {
        name eur: price usd: price(currency: USD)
        near: shippingEstimate(zip: "10115") far: shippingEstimate(zip: "99999")
      }
      spade: product(upc: "p2") { name: upc id: name }
    }`,
    expected: {
      data: {
        kettle: { name: "Kettle", eur: 30, usd: 33, near: 4, far: 14 },
        spade: { name: "p2", id: "Spade" },
      },
    },
  },
  {
    name: "an alias named like the entity's key, in an operation that needs the key for the next hop",
    supergraph: "commerce",
    query: `{ me { id: name reviews { body } } product(upc: "p1") { upc: name shippingEstimate } }`,
    expected: {
      data: {
        me: { id: "Ada", reviews: [{ body: "Boils fast" }, { body: "Sturdy" }] },
        product: { upc: "Kettle", shippingEstimate: 4 },
      },
    },
    // @apollo/query-planner merges the user's `id: name` into the `id` it selects for the key
    // (the subgraph fetch has `id` once, `name` not at all), so the client gets the key's value
    // under its alias. An alias only names a field in the response (spec, "Field Alias"): `id`
    // here is the user's name. Known: apollographql/federation#3036, apollographql/router#6222.
    knownDifferences: plannerAnswers({
      data: {
        me: { id: "u1", reviews: [{ body: "Boils fast" }, { body: "Sturdy" }] },
        product: { upc: "p1", shippingEstimate: 4 },
      },
    }),
  },
  {
    name: "aliases named like the fields @requires sends: the representation keeps the real values",
    supergraph: "commerce",
    query: `{ product(upc: "p1") { weight: price(currency: USD) price: weight shippingEstimate } }`,
    expected: { data: { product: { weight: 33, price: 2, shippingEstimate: 4 } } },
    // The planner fetches the user's `weight: price(currency: USD)` and `price: weight` under the
    // names the representation for inventory is built from, so inventory computes the estimate
    // from weight 33 and price 2 (70) instead of weight 2 and 30 EUR (4). What a client aliases
    // must not change what another subgraph is told about the entity.
    knownDifferences: plannerAnswers({ data: { product: { weight: 33, price: 2, shippingEstimate: 70 } } }),
  },
  {
    name: "variables in the root and in nested fetches, @include/@skip by variables (all included)",
    supergraph: "commerce",
    query: `query Products($first: Int, $zip: String, $currency: Currency!, $withReviews: Boolean!, $noSeller: Boolean!) {
      topProducts(first: $first) {
        name price(currency: $currency) shippingEstimate(zip: $zip)
        reviews @include(if: $withReviews) { body }
        seller @skip(if: $noSeller) { name }
      }
      me @include(if: $withReviews) { name }
    }`,
    variables: { first: 2, zip: "99999", currency: "USD", withReviews: true, noSeller: false },
    expected: {
      data: {
        topProducts: [
          {
            name: "Kettle",
            price: 33,
            shippingEstimate: 14,
            reviews: [{ body: "Boils fast" }, { body: "Loud" }],
            seller: { name: "Ada" },
          },
          { name: "Spade", price: 17, shippingEstimate: 20, reviews: [{ body: "Sturdy" }], seller: { name: "Grace" } },
        ],
        me: { name: "Ada" },
      },
    },
  },
  {
    name: "variables in the root and in nested fetches, @include/@skip by variables (all left out, a null variable)",
    supergraph: "commerce",
    query: `query Products($first: Int, $zip: String, $currency: Currency!, $withReviews: Boolean!, $noSeller: Boolean!) {
      topProducts(first: $first) {
        name price(currency: $currency) shippingEstimate(zip: $zip)
        reviews @include(if: $withReviews) { body }
        seller @skip(if: $noSeller) { name }
      }
      me @include(if: $withReviews) { name }
    }`,
    variables: { first: 1, zip: null, currency: "EUR", withReviews: false, noSeller: true },
    expected: { data: { topProducts: [{ name: "Kettle", price: 30, shippingEstimate: 4 }] } },
    // What is skipped is not fetched.
    fetches: { users: 0, reviews: 0, products: 1, inventory: 1 },
  },
  {
    name: "variable defaults, and @include on a named fragment spread",
    supergraph: "commerce",
    query: `query Top($first: Int = 1, $withSeller: Boolean = true) {
      topProducts(first: $first) { name ...Seller @include(if: $withSeller) }
    }
    fragment Seller on Product { seller { name } }`,
    expected: { data: { topProducts: [{ name: "Kettle", seller: { name: "Ada" } }] } },
  },
  {
    name: "enum and custom scalar variables reach the subgraph; enum, scalar and JSON results pass through",
    supergraph: "commerce",
    query: `query Kitchen($category: Category!, $after: DateTime) {
      products(category: $category, releasedAfter: $after) { name category releasedAt attributes }
    }`,
    variables: { category: "KITCHEN", after: "2019-12-31T00:00:00.000Z" },
    expected: {
      data: {
        products: [
          { name: "Kettle", category: "KITCHEN", releasedAt: "2020-01-02T03:04:05.000Z", attributes: kettleAttributes },
        ],
      },
    },
  },
  {
    name: "enums, custom scalars, JSON (object, list, null) and a list of lists, from two subgraphs",
    supergraph: "commerce",
    query: `{ topProducts { category releasedAt attributes stockByWarehouse } }`,
    expected: {
      data: {
        topProducts: [
          {
            category: "KITCHEN",
            releasedAt: "2020-01-02T03:04:05.000Z",
            attributes: kettleAttributes,
            stockByWarehouse: [[1, 2], [3]],
          },
          { category: "GARDEN", releasedAt: "2021-06-07T08:09:10.000Z", attributes: null, stockByWarehouse: [[]] },
          {
            category: "TOOLS",
            releasedAt: "2019-03-04T05:06:07.000Z",
            attributes: ["steel", 2],
            stockByWarehouse: [[0], [0, 0]],
          },
        ],
      },
    },
  },
  {
    name: "a field asked twice, under an alias and in an inline fragment: merged, in first-asked order",
    supergraph: "commerce",
    query: `{ topProducts(first: 1) { name name reviews { body } n: name ... on Product { name upc } } }`,
    expected: {
      data: {
        topProducts: [{ name: "Kettle", reviews: [{ body: "Boils fast" }, { body: "Loud" }], n: "Kettle", upc: "p1" }],
      },
    },
  },
  {
    name: "an @inaccessible field is not in the API schema: asking for it fails validation",
    supergraph: "commerce",
    query: `{ product(upc: "p1") { internalCode } }`,
    expected: {
      errors: [{ message: 'Cannot query field "internalCode" on type "Product".', code: "GRAPHQL_VALIDATION_FAILED" }],
    },
    fetches: { products: 0 },
  },
  {
    name: "an @inaccessible type is not in the API schema: a fragment on it fails validation",
    supergraph: "commerce",
    query: `{ product(upc: "p1") { name ... on AuditEntry { note } } }`,
    expected: { errors: [{ message: 'Unknown type "AuditEntry".', code: "GRAPHQL_VALIDATION_FAILED" }] },
    fetches: { products: 0 },
  },
  {
    name: "introspection shows no @inaccessible field, type or enum value",
    supergraph: "commerce",
    query: `{
      product: __type(name: "Product") { fields { name } }
      audit: __type(name: "AuditEntry") { name }
      category: __type(name: "Category") { enumValues { name } }
    }`,
    expected: {
      data: {
        // In the API schema's order (the supergraph's).
        product: { fields: productFields.map((name) => ({ name })) },
        audit: null,
        category: { enumValues: [{ name: "KITCHEN" }, { name: "GARDEN" }, { name: "TOOLS" }] },
      },
    },
  },
  {
    name: "introspection asked through a named fragment, beside a subgraph's field",
    supergraph: "commerce",
    query: `{ product(upc: "p1") { name } ...Types } fragment Types on Query { audit: __type(name: "AuditEntry") { name } category: __type(name: "Category") { name } }`,
    expected: { data: { product: { name: "Kettle" }, audit: null, category: { name: "Category" } } },
  },
  {
    name: "an @inaccessible enum value from a subgraph is a field error, nulling up to the nullable parent",
    supergraph: "commerce",
    query: `{ product(upc: "p9") { name category } }`,
    expected: {
      data: { product: null },
      errors: [{ message: /Product\.category/, path: ["product", "category"] }],
    },
    // LEGACY is not a value of the API schema's Category, so it cannot be serialized: the spec's
    // result coercion for enums raises a field error, and a field error on a non-null field nulls
    // its parent ("Handling Field Errors"). The errors go in `errors`: a response whose data was
    // nulled by the executor without an entry in `errors` tells the client nothing went wrong.
    // @apollo/gateway nulls it right but reports the error under extensions.valueCompletion.
    knownDifferences: apolloAnswers({
      data: { product: null },
      extensions: {
        valueCompletion: [
          {
            message: "Invalid value found for field Product.category.",
            path: ["product", "category"],
            extensions: { code: "INVALID_GRAPHQL" },
          },
        ],
      },
    }),
  },
  {
    name: "nulls a subgraph returns: a nullable entity field, a root field by an unknown id",
    supergraph: "commerce",
    query: `{ user(id: "u3") { name nickname favoriteProduct { name } } nobody: user(id: "u404") { name } }`,
    expected: { data: { user: { name: "Linus", nickname: null, favoriteProduct: null }, nobody: null } },
  },
  {
    name: "a nullable field an entity fetch answers null for stays null, without an error",
    supergraph: "commerce",
    query: `{ me { reviews { rating product { attributes } } } }`,
    expected: {
      data: {
        me: {
          reviews: [
            { rating: 5, product: { attributes: kettleAttributes } },
            { rating: 4, product: { attributes: null } },
          ],
        },
      },
    },
  },
  {
    name: "an entity its subgraph no longer has: its non-null field is an error, its nullable parent null",
    supergraph: "commerce",
    query: `{ user(id: "u2") { name favoriteProduct { upc name } } }`,
    expected: {
      data: { user: { name: "Grace", favoriteProduct: null } },
      errors: [{ message: /Product\.name/, path: ["user", "favoriteProduct", "name"] }],
    },
    // products answers `_entities: [null]` for p404 without an error. The gateway then has null
    // for the non-null Product.name, which the spec makes a field error ("Errors and Non-Null
    // Types"): favoriteProduct is nulled, and the error belongs in `errors` with that path, or
    // the client cannot tell a missing product from one that has none. @apollo/gateway nulls it
    // but puts the error under extensions.valueCompletion (it reports those only there, and only
    // when no other error happened).
    knownDifferences: apolloAnswers({
      data: { user: { name: "Grace", favoriteProduct: null } },
      extensions: {
        valueCompletion: [
          {
            message: "Cannot return null for non-nullable field Product.name.",
            path: ["user", "favoriteProduct", "name"],
            extensions: { code: "INVALID_GRAPHQL" },
          },
        ],
      },
    }),
  },
  {
    name: "an error in an entity fetch has the path of the field in the response, the subgraph's code kept",
    supergraph: "commerce",
    query: `{ topProducts { upc inStock } }`,
    expected: {
      data: {
        topProducts: [
          { upc: "p1", inStock: true },
          { upc: "p2", inStock: null },
          { upc: "p3", inStock: false },
        ],
      },
      errors: [{ message: "Stock unknown for p2", path: ["topProducts", 1, "inStock"], code: "STOCK_UNKNOWN" }],
    },
  },
  {
    name: "an error inside a list within an entity has the full path",
    supergraph: "commerce",
    query: `{ topProducts(first: 1) { name reviews { body rating } } }`,
    expected: {
      data: {
        topProducts: [
          {
            name: "Kettle",
            reviews: [
              { body: "Boils fast", rating: 5 },
              { body: "Loud", rating: null },
            ],
          },
        ],
      },
      errors: [
        {
          message: "Rating hidden by moderation",
          path: ["topProducts", 0, "reviews", 1, "rating"],
          code: "RATING_HIDDEN",
        },
      ],
    },
  },
  {
    name: "an error in a root fetch beside another subgraph's root field",
    supergraph: "commerce",
    query: `{ me { name } reviews { body rating } }`,
    expected: {
      data: {
        me: { name: "Ada" },
        reviews: [
          { body: "Boils fast", rating: 5 },
          { body: "Sturdy", rating: 4 },
          { body: "Loud", rating: null },
          { body: "Heavy", rating: null },
        ],
      },
      errors: [{ message: "Rating hidden by moderation", path: ["reviews", 2, "rating"], code: "RATING_HIDDEN" }],
    },
  },
  {
    name: "an error on a non-null field nulls its nearest nullable parent, two hops from the root",
    supergraph: "commerce",
    query: `{ user(id: "u1") { name favoriteProduct { name shippingEstimate(zip: "00000") } } }`,
    expected: {
      data: { user: { name: "Ada", favoriteProduct: null } },
      errors: [
        { message: "No delivery to 00000", path: ["user", "favoriteProduct", "shippingEstimate"], code: "NO_DELIVERY" },
      ],
    },
  },
  {
    name: "an error on a non-null field bubbles through non-null lists and objects to a nullable root field; its sibling stays",
    supergraph: "commerce",
    query: `{ me { name reviews { body product { name shippingEstimate(zip: "00000") } } } topProducts(first: 1) { name } }`,
    expected: {
      data: { me: null, topProducts: [{ name: "Kettle" }] },
      errors: [
        {
          message: "No delivery to 00000",
          path: ["me", "reviews", 0, "product", "shippingEstimate"],
          code: "NO_DELIVERY",
        },
        {
          message: "No delivery to 00000",
          path: ["me", "reviews", 1, "product", "shippingEstimate"],
          code: "NO_DELIVERY",
        },
      ],
    },
  },
  {
    name: "mutations: root fields run one after the other, across subgraphs, with an input-object variable",
    supergraph: "commerce",
    setup: resetMutationLog,
    query: `mutation Review($input: ReviewInput!) {
      __typename
      first: visit(userId: "u1", label: "first") { seen user { name } }
      review: addReview(input: $input) { seen review { body rating product { name } author { username name } } }
      last: visit(userId: "u2", label: "last") { seen user { name } }
    }`,
    variables: { input: { upc: "p2", authorId: "u3", body: "Nice", rating: 5 } },
    expected: {
      data: {
        __typename: "Mutation",
        first: { seen: ["first"], user: { name: "Ada" } },
        review: {
          seen: ["first", "review:Nice"],
          review: { body: "Nice", rating: 5, product: { name: "Spade" }, author: { username: "linus", name: "Linus" } },
        },
        last: { seen: ["first", "review:Nice", "last"], user: { name: "Grace" } },
      },
    },
  },
  // -------------------------------------------------------------- commerce, inventory down
  {
    name: "a subgraph down mid-plan: its nullable fields null with an error, the rest present",
    supergraph: "commerce-inventory-down",
    query: `{ topProducts(first: 2) { name inStock reviews { body } } me { name } }`,
    expected: {
      data: {
        topProducts: [
          { name: "Kettle", inStock: null, reviews: [{ body: "Boils fast" }, { body: "Loud" }] },
          { name: "Spade", inStock: null, reviews: [{ body: "Sturdy" }] },
        ],
        me: { name: "Ada" },
      },
      // The wording is the executor's (plain names the URL, Mary's core the service).
      errors: [{ message: /./, anyPath: true }],
    },
  },
  {
    name: "a subgraph down mid-plan: its non-null field nulls the nullable parent, other root fields stay",
    supergraph: "commerce-inventory-down",
    query: `{ product(upc: "p1") { name shippingEstimate } me { name } }`,
    expected: { data: { product: null, me: { name: "Ada" } }, errors: [{ message: /./, anyPath: true }] },
  },
  // -------------------------------------------------------------------------------- media
  {
    name: "entity interface: each implementation's fields from the subgraphs that own them",
    supergraph: "media",
    query: `{ media { __typename id title ... on Book { pages inStock author { name } } ... on Movie { runtime streamingOn } } }`,
    expected: {
      data: {
        media: [
          { __typename: "Book", id: "b1", title: "Dune", pages: 412, inStock: true, author: { name: "Frank Herbert" } },
          { __typename: "Movie", id: "m1", title: "Alien", runtime: 117, streamingOn: ["Flix"] },
          { __typename: "Book", id: "b2", title: "Emma", pages: 320, inStock: false, author: { name: "Jane Austen" } },
          { __typename: "Movie", id: "m2", title: "Heat", runtime: 170, streamingOn: [] },
          {
            __typename: "Book",
            id: "b3",
            title: "Ubik",
            pages: 202,
            inStock: true,
            author: { name: "Philip K. Dick" },
          },
        ],
      },
    },
    fetches: { catalog: 1, shop: 1, people: 1 },
  },
  {
    name: "@interfaceObject: a subgraph that knows only Media adds a field to every implementation",
    supergraph: "media",
    query: `{ media { title rating } }`,
    expected: {
      data: {
        media: [
          { title: "Dune", rating: 4.5 },
          { title: "Alien", rating: 4.8 },
          { title: "Emma", rating: 3.9 },
          { title: "Heat", rating: 4.2 },
          { title: "Ubik", rating: 4.1 },
        ],
      },
    },
  },
  {
    name: "@interfaceObject at the root: the concrete __typename and the implementations' fields come from the owner",
    supergraph: "media",
    query: `{ topRated(limit: 3) { __typename id title rating ... on Book { pages } ... on Movie { runtime } } }`,
    expected: {
      data: {
        topRated: [
          { __typename: "Movie", id: "m1", title: "Alien", rating: 4.8, runtime: 117 },
          { __typename: "Book", id: "b1", title: "Dune", rating: 4.5, pages: 412 },
          { __typename: "Movie", id: "m2", title: "Heat", rating: 4.2, runtime: 170 },
        ],
      },
    },
  },
  {
    name: "@interfaceObject: __typename alone is the concrete type, not Media",
    supergraph: "media",
    query: `{ topRated(limit: 2) { __typename } }`,
    expected: { data: { topRated: [{ __typename: "Movie" }, { __typename: "Book" }] } },
  },
  {
    name: "union members owned by different subgraphs",
    supergraph: "media",
    query: `{ search(term: "a") { __typename ... on Book { title inStock } ... on Movie { title } ... on Author { name } } }`,
    expected: {
      data: {
        search: [
          { __typename: "Movie", title: "Alien" },
          { __typename: "Author", name: "Frank Herbert" },
          { __typename: "Book", title: "Emma", inStock: false },
          { __typename: "Movie", title: "Heat" },
          { __typename: "Author", name: "Jane Austen" },
        ],
      },
    },
  },
  {
    name: "fragments: named and nested, on a union, on an interface inside it, inline without a type, @include",
    supergraph: "media",
    query: `query Search($term: String!, $withRating: Boolean!) { search(term: $term) { ...Result } }
      fragment Result on SearchResult { __typename ... on Media { ...MediaFields } ... on Author { ...AuthorFields } }
      fragment MediaFields on Media { id title ... @include(if: $withRating) { rating } ... on Book { ...BookFields } }
      fragment BookFields on Book { pages author { ...AuthorFields } }
      fragment AuthorFields on Author { name }`,
    variables: { term: "u", withRating: true },
    expected: {
      data: {
        search: [
          { __typename: "Book", id: "b1", title: "Dune", rating: 4.5, pages: 412, author: { name: "Frank Herbert" } },
          { __typename: "Author", name: "Jane Austen" },
          { __typename: "Book", id: "b3", title: "Ubik", rating: 4.1, pages: 202, author: { name: "Philip K. Dick" } },
        ],
      },
    },
  },
  {
    name: "fragments: an inline fragment left out by @include is not fetched",
    supergraph: "media",
    query: `query Search($term: String!, $withRating: Boolean!) { search(term: $term) { ...Result } }
      fragment Result on SearchResult { __typename ... on Media { ...MediaFields } ... on Author { ...AuthorFields } }
      fragment MediaFields on Media { id title ... @include(if: $withRating) { rating } ... on Book { ...BookFields } }
      fragment BookFields on Book { pages author { ...AuthorFields } }
      fragment AuthorFields on Author { name }`,
    variables: { term: "u", withRating: false },
    expected: {
      data: {
        search: [
          { __typename: "Book", id: "b1", title: "Dune", pages: 412, author: { name: "Frank Herbert" } },
          { __typename: "Author", name: "Jane Austen" },
          { __typename: "Book", id: "b3", title: "Ubik", pages: 202, author: { name: "Philip K. Dick" } },
        ],
      },
    },
    fetches: { ratings: 0 },
  },
  {
    name: "a list of lists of entities, completed from two more subgraphs",
    supergraph: "media",
    query: `{ shelves { title author { name } } }`,
    expected: {
      data: {
        shelves: [
          [
            { title: "Dune", author: { name: "Frank Herbert" } },
            { title: "Emma", author: { name: "Jane Austen" } },
          ],
          [{ title: "Ubik", author: { name: "Philip K. Dick" } }],
        ],
      },
    },
  },
  {
    name: "an enum variable",
    supergraph: "media",
    query: `query Books($format: Format) { books(format: $format) { title format } }`,
    variables: { format: "EBOOK" },
    expected: { data: { books: [{ title: "Emma", format: "EBOOK" }] } },
  },
  {
    name: "an error in an entity fetch for some members of an interface list points at the right element",
    supergraph: "media",
    query: `{ media { __typename title ... on Book { price } } }`,
    expected: {
      data: {
        media: [
          { __typename: "Book", title: "Dune", price: 10 },
          { __typename: "Movie", title: "Alien" },
          { __typename: "Book", title: "Emma", price: null },
          { __typename: "Movie", title: "Heat" },
          { __typename: "Book", title: "Ubik", price: null },
        ],
      },
      errors: [{ message: "Price unavailable for b3", path: ["media", 4, "price"], code: "PRICE_UNAVAILABLE" }],
    },
    // Ubik (media[4]) is the third Book, the third representation sent to shop, whose error says
    // `_entities.2.price`. @apollo/gateway maps representation i to the i-th entity at the
    // fetch's path, counting the Movies that were never sent (makeLazyErrorPathGenerator), and
    // blames media[2]: Emma, whose price is legitimately null.
    knownDifferences: apolloAnswers({
      data: {
        media: [
          { __typename: "Book", title: "Dune", price: 10 },
          { __typename: "Movie", title: "Alien" },
          { __typename: "Book", title: "Emma", price: null },
          { __typename: "Movie", title: "Heat" },
          { __typename: "Book", title: "Ubik", price: null },
        ],
      },
      errors: [{ message: "Price unavailable for b3", path: ["media", 2, "price"], code: "PRICE_UNAVAILABLE" }],
    }),
  },
  {
    name: "an interface-typed root field by an unknown id is null",
    supergraph: "media",
    query: `{ mediaItem(id: "x") { title } }`,
    expected: { data: { mediaItem: null } },
  },
  // ------------------------------------------------------------------------------- orders
  {
    name: "entities sharing a key at one plan path: each distinct representation sent once, its answer in every entity",
    supergraph: "orders",
    query: `{ orders { id customer { name } lines { quantity item { sku name price maker { name country } } } } }`,
    expected: sharedEntities,
    // One fetch per hop: items, then the makers of the items it answered; the customers beside it.
    fetches: { orders: 1, items: 1, directory: 2 },
    // @apollo/gateway sends one representation per entity (executeFetch), the same item as often
    // as a line names it, the same maker as often as an item it made is named: the answer is the
    // same, the subgraph resolves each entity that many times.
    knownDifferences: apolloAnswers({
      ...sharedEntities,
      representations: {
        items: [representations("Item", "sku", "i1", "i2", "i1", "i1", "i3", "i2", "i1")],
        directory: [
          representations("Customer", "id", "c1", "c2", "c1"),
          representations("Maker", "id", "m1", "m1", "m1", "m1", "m2", "m1", "m1"),
        ],
      },
    }),
  },
  {
    name: "an error for a representation entities share (`_entities.<i>` and below it) is at every one of their paths",
    supergraph: "orders",
    query: `{ returns { id lines { quantity item { sku name price } } } }`,
    expected: sharedErrors,
    fetches: { orders: 1, items: 1 },
    // @apollo/gateway sends i9 three times and i4 twice (see the first orders case) and gets an
    // error for each: the same errors at the same paths.
    knownDifferences: apolloAnswers({
      ...sharedErrors,
      representations: { items: [representations("Item", "sku", "i9", "i4", "i2", "i4", "i1", "i9", "i9")] },
    }),
  },
  {
    name: "an error for a representation entities share, after an entity with none, is at each of their paths",
    supergraph: "orders",
    query: `{ order(id: "o7") { lines { quantity item { sku name } } } }`,
    expected: sharedErrorAfterNull,
    knownDifferences: apolloAnswers({
      ...sharedErrorAfterNull,
      representations: { items: [representations("Item", "sku", "i9", "i1", "i9")] },
    }),
  },
];

/** An error as compared: message, path (null: none), code (null: none). */
const comparable = (error: NonNullable<ResponseJson["errors"]>[number]) => ({
  message: error.message,
  path: error.path ?? null,
  code: error.extensions?.code ?? null,
  serviceName: error.extensions?.serviceName ?? null,
});

function expectResponse(actual: ResponseJson, expected: Expected) {
  expect(actual.data).toEqual(expected.data);
  // The same data, and its keys in the order the query asked for them (spec, "Serialized Map Ordering").
  expect(JSON.stringify(actual.data)).toBe(JSON.stringify(expected.data));
  if (!expected.errors) {
    expect(actual.errors).toBeUndefined();
  } else {
    const errors = (actual.errors ?? []).map(comparable);
    expect(errors).toHaveLength(expected.errors.length);
    expect(errors).toEqual(
      expect.arrayContaining(
        expected.errors.map((error) =>
          expect.objectContaining({
            message: typeof error.message === "string" ? error.message : expect.stringMatching(error.message),
            ...(error.anyPath ? {} : { path: error.path ?? null }),
            ...(error.code ? { code: error.code } : {}),
            ...(error.serviceName ? { serviceName: error.serviceName } : {}),
          }),
        ),
      ),
    );
  }
  if (expected.extensions) expect(actual.extensions).toEqual(expected.extensions);
}

let fixtures: Fixtures;
beforeAll(async () => {
  fixtures = await serveFixtures();
});
afterAll(async () => {
  await fixtures?.close();
});

test("every known difference names a registered executor", () => {
  const names = new Set(executors.map((executor) => executor.name));
  for (const c of cases) {
    for (const name of Object.keys(c.knownDifferences ?? {})) expect(names, `${c.name}: ${name}`).toContain(name);
  }
});

describe.each(executors)("federation correctness: $name", (executor) => {
  const running = new Map<SupergraphName, RunningExecutor>();
  beforeAll(async () => {
    for (const supergraph of SUPERGRAPHS)
      running.set(supergraph, await executor.start(fixtures.supergraphs[supergraph]));
  });
  afterAll(async () => {
    await Promise.all([...running.values()].map((served) => served.stop()));
  });

  test.each(cases)("$supergraph: $name", async (c) => {
    c.setup?.();
    const before = { ...fixtures.requests };
    const representationsBefore = Object.fromEntries(
      Object.entries(fixtures.representations).map(([name, sent]) => [name, sent.length]),
    );
    const actual = await running.get(c.supergraph)!.execute({ query: c.query, variables: c.variables });
    const expected = c.knownDifferences?.[executor.name] ?? c.expected;
    expectResponse(actual, expected);
    for (const [name, lists] of Object.entries(expected.representations ?? {})) {
      const sent = fixtures.representations[name]!.slice(representationsBefore[name]);
      expect(sent, `representations sent to ${name}`).toHaveLength(lists.length);
      expect(sent, `representations sent to ${name}`).toEqual(expect.arrayContaining(lists));
    }
    if (c.fetches) {
      const sent = Object.fromEntries(
        Object.keys(c.fetches).map((name) => [name, fixtures.requests[name]! - (before[name] ?? 0)]),
      );
      expect(sent, "requests to each subgraph").toEqual(c.fetches);
    }
  });
});

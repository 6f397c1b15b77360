import type { ApolloCache } from "@apollo/client";
import { useMutation } from "@apollo/client/react";
import { graphql } from "../../__generated__/gql.ts";
import type { DealStage, DealsBoardPipelineQuery } from "../../__generated__/graphql.ts";
import { DealsBoardPipeline } from "./deals-board-query.ts";

const MoveDeal = graphql(`
  mutation DealsBoardMove($id: ID!, $stage: DealStage!) {
    moveDeal(id: $id, stage: $stage) {
      id
      stage
      updatedAt
    }
  }
`);

type Pipeline = DealsBoardPipelineQuery["workspace"]["pipeline"];
type Totals = Pipeline[number]["totals"];

/** A stage's totals with `amount` added (or taken away) in its currency, kept sorted by currency. */
function addToTotals(totals: Totals, money: { amount: number; currency: string }, sign: 1 | -1): Totals {
  const existing = totals.find((total) => total.currency === money.currency);
  if (!existing) {
    if (sign < 0) return totals;
    return [...totals, { __typename: "Money" as const, ...money }].sort((a, b) => a.currency.localeCompare(b.currency));
  }
  return totals
    .map((total) => (total === existing ? { ...total, amount: total.amount + sign * money.amount } : total))
    .filter((total) => total.amount > 0 || sign > 0);
}

/** The pipeline as it is once one deal worth `money` moves from a stage to another. */
export function movedPipeline(
  pipeline: Pipeline,
  from: DealStage,
  to: DealStage,
  money: { amount: number; currency: string },
): Pipeline {
  return pipeline.map((entry) => {
    if (entry.stage === from) {
      const count = Math.max(0, entry.count - 1);
      return { ...entry, count, totals: count === 0 ? [] : addToTotals(entry.totals, money, -1) };
    }
    if (entry.stage === to) return { ...entry, count: entry.count + 1, totals: addToTotals(entry.totals, money, 1) };
    return entry;
  });
}

function shiftTotals(cache: ApolloCache, from: DealStage, to: DealStage, money: { amount: number; currency: string }) {
  cache.updateQuery({ query: DealsBoardPipeline }, (data) =>
    data
      ? { ...data, workspace: { ...data.workspace, pipeline: movedPipeline(data.workspace.pipeline, from, to, money) } }
      : undefined,
  );
}

export interface MovableDeal {
  id: string;
  stage: DealStage;
  amount: { amount: number; currency: string };
}

/**
 * Moves a deal at once: the card and both columns' totals change before the server answers
 * (an optimistic layer, which Apollo drops if the move fails, so everything returns), then the
 * totals are asked again so they are the server's. Rejects with the server's error.
 */
export function useMoveDeal(): (deal: MovableDeal, to: DealStage) => Promise<void> {
  const [moveDeal] = useMutation(MoveDeal);
  return async (deal, to) => {
    const from = deal.stage;
    if (from === to) return;
    const money = { amount: deal.amount.amount, currency: deal.amount.currency };
    // With its __typename (which the generated types leave out), so the cache knows which Deal it is.
    const optimistic = {
      moveDeal: { __typename: "Deal", id: deal.id, stage: to, updatedAt: new Date().toISOString() },
    };
    await moveDeal({
      variables: { id: deal.id, stage: to },
      optimisticResponse: optimistic,
      // Runs in the optimistic layer first, then once more on the cache with the server's answer
      // (whose totals still are the ones before the move), so the totals never flick back.
      update(cache, { data }) {
        if (data?.moveDeal.stage === to) shiftTotals(cache, from, to, money);
      },
      refetchQueries: [{ query: DealsBoardPipeline }],
    });
  };
}

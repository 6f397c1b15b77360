import "reflect-metadata";
import { GraphQLSafeInt } from "graphql-scalars";
import { Directive, Field, InputType, ObjectType } from "type-graphql";
import { badUserInput } from "./errors.ts";

/** ISO 4217 codes this runtime knows, such as USD, EUR and JPY. */
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

@Directive("@shareable")
@ObjectType({ description: "An amount of money: integer minor units (cents for USD, yen for JPY), never a float." })
export class Money {
  @Field(() => GraphQLSafeInt, {
    description: "The amount in the currency's minor units, for example 2500 for $25.00.",
  })
  amount!: number;

  @Field(() => String, { description: "ISO 4217 currency code, upper case, for example USD." })
  currency!: string;
}

@InputType({ description: "An amount of money in integer minor units with its ISO 4217 currency." })
export class MoneyInput {
  @Field(() => GraphQLSafeInt, { description: "The amount in minor units; zero or more." })
  amount!: number;

  @Field(() => String, { description: "ISO 4217 currency code, for example USD or EUR." })
  currency!: string;
}

/** Validates an amount from a client: a non-negative integer in a known currency. */
export function parseMoney(input: MoneyInput, field = "amount"): Money {
  if (!Number.isSafeInteger(input.amount) || input.amount < 0) {
    throw badUserInput("An amount must be a whole number of minor units, zero or more", field);
  }
  const currency = input.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency) || !CURRENCIES.has(currency)) {
    throw badUserInput(`Unknown currency "${input.currency}"; use an ISO 4217 code such as USD`, field);
  }
  return { amount: input.amount, currency };
}

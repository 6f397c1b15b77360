import "reflect-metadata";
import { FieldResolver, Resolver, Root } from "type-graphql";
import { Money } from "@mary/kit";
import { Invoice } from "../entities/invoice.entity.ts";

@Resolver(() => Invoice)
export class InvoiceResolver {
  @FieldResolver(() => Money, { description: "What the invoice asks for." })
  amountDue(@Root() invoice: Invoice): Money {
    return { amount: invoice.amountDue, currency: invoice.currency.toUpperCase() };
  }

  @FieldResolver(() => Money, { description: "What has been paid of it." })
  amountPaid(@Root() invoice: Invoice): Money {
    return { amount: invoice.amountPaid, currency: invoice.currency.toUpperCase() };
  }
}

import { ActivitySchema } from "./activity.entity.ts";
import { CompanySchema } from "./company.entity.ts";
import { ContactSchema } from "./contact.entity.ts";
import { DealStageChangeSchema } from "./deal-stage-change.entity.ts";
import { DealSchema } from "./deal.entity.ts";

export const entities = [CompanySchema, ContactSchema, DealSchema, DealStageChangeSchema, ActivitySchema];

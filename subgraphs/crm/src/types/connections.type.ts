import { connectionType } from "@mary/kit";
import { Activity } from "../entities/activity.entity.ts";
import { Company } from "../entities/company.entity.ts";
import { Contact } from "../entities/contact.entity.ts";
import { Deal } from "../entities/deal.entity.ts";

/**
 * Each connection type is declared once, here, because several resolvers return it. The kit makes
 * plurals by adding "s", hence "company record" and "activity record".
 */
export const ContactConnection = connectionType(Contact, "Contact", "contact");
export const CompanyConnection = connectionType(Company, "Company", "company", "companies");
export const DealConnection = connectionType(Deal, "Deal", "deal");
export const ActivityConnection = connectionType(Activity, "Activity", "activity", "activities");

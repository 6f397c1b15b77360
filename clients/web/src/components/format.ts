// How every page writes numbers, money and dates: in the reader's locale, from the API's values.

/** How many minor-unit digits a currency has: 2 for USD (cents), 0 for JPY. */
export function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Money (integer minor units) in its currency as the reader's locale writes it: {150000, USD} is "$1,500.00". */
export function formatMoney(money: { amount: number; currency: string }): string {
  const major = money.amount / 10 ** fractionDigits(money.currency);
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: money.currency }).format(major);
  } catch {
    return `${major} ${money.currency}`;
  }
}

const numberFormat = new Intl.NumberFormat();
export const formatCount = (value: number): string => numberFormat.format(value);

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
/** A date, from the API's ISO timestamp. */
export const formatDate = (iso: string): string => dateFormat.format(new Date(iso));

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
/** A date and time, from the API's ISO timestamp. */
export const formatDateTime = (iso: string): string => dateTimeFormat.format(new Date(iso));

const localDateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
/** A LocalDate (YYYY-MM-DD), the same day wherever the reader is. */
export const formatLocalDate = (date: string): string => localDateFormat.format(new Date(`${date}T00:00:00Z`));

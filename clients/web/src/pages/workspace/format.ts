const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** A date the way people read it here, from the API's ISO timestamp. */
export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

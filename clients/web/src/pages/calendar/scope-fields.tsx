import { useId } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import type { EventEditScope } from "../../__generated__/graphql.ts";

/** The three answers to "which occurrences of a series?", with the words for each. */
export const SCOPE_CHOICES: readonly { scope: EventEditScope; label: string; object: string }[] = [
  { scope: "THIS", label: "Only this occurrence", object: "only this occurrence" },
  {
    scope: "THIS_AND_FOLLOWING",
    label: "This and following occurrences",
    object: "this and the following occurrences",
  },
  { scope: "ALL", label: "All occurrences", object: "every occurrence of the series" },
];

/** Radio buttons for the scope of a change to a repeating event (a form field, or controlled). */
export function ScopeFields({
  legend,
  choices,
  current,
  register,
  onChange,
}: {
  legend: string;
  choices: typeof SCOPE_CHOICES;
  current: EventEditScope;
  register?: UseFormRegisterReturn;
  onChange?: (scope: EventEditScope) => void;
}) {
  const id = useId();
  return (
    <fieldset className="calendar-scope">
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <label key={choice.scope} htmlFor={`${id}-${choice.scope}`}>
          <input
            id={`${id}-${choice.scope}`}
            type="radio"
            value={choice.scope}
            {...(register ?? {
              name: id,
              checked: current === choice.scope,
              onChange: () => onChange?.(choice.scope),
            })}
          />{" "}
          {choice.label}
        </label>
      ))}
    </fieldset>
  );
}

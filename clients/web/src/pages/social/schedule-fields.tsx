import { useId } from "react";
import type { FieldError, UseFormRegisterReturn } from "react-hook-form";
import { timeZones } from "./social-time.ts";

/**
 * The schedule picker: a local date, a time and the IANA zone they are on the clocks of (the
 * browser's own by default). The server turns them into an instant, refusing a time the clocks skip.
 */
export function ScheduleFields({
  date,
  time,
  timeZone,
  errors,
}: {
  date: UseFormRegisterReturn;
  time: UseFormRegisterReturn;
  timeZone: UseFormRegisterReturn;
  errors: { date?: FieldError | undefined; time?: FieldError | undefined; timeZone?: FieldError | undefined };
}) {
  const id = useId();
  const zones = timeZones();
  const described = (name: string, error: FieldError | undefined) =>
    error ? { "aria-invalid": true, "aria-describedby": `${id}-${name}-error` } : { "aria-invalid": false };
  return (
    <fieldset className="social-schedule">
      <legend>Schedule</legend>
      <div className="crm-form-row">
        <div className="field">
          <label htmlFor={`${id}-date`}>Date</label>
          <input id={`${id}-date`} type="date" {...described("date", errors.date)} {...date} />
          {errors.date ? (
            <small id={`${id}-date-error`} className="field-error" role="alert">
              {errors.date.message}
            </small>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-time`}>Time</label>
          <input id={`${id}-time`} type="time" {...described("time", errors.time)} {...time} />
          {errors.time ? (
            <small id={`${id}-time-error`} className="field-error" role="alert">
              {errors.time.message}
            </small>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-zone`}>Time zone</label>
          <select id={`${id}-zone`} {...described("timeZone", errors.timeZone)} {...timeZone}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
          {errors.timeZone ? (
            <small id={`${id}-timeZone-error`} className="field-error" role="alert">
              {errors.timeZone.message}
            </small>
          ) : null}
        </div>
      </div>
    </fieldset>
  );
}

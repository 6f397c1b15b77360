import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { ContactForm_ContactFragment } from "../../__generated__/graphql.ts";
import { Dialog } from "../../components/dialog.tsx";
import { Field } from "../../components/field.tsx";
import { showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";
import { EMAIL_PATTERN } from "../../components/forms.ts";
import { PHONE_PATTERN, splitList } from "./crm-format.ts";

/** What the edit form starts from. */
export const ContactForm_contact = graphql(`
  fragment ContactForm_contact on Contact {
    id
    name
    emails
    phones
    title
    company {
      id
      name
    }
  }
`);

const ContactFormCompanies = graphql(`
  query ContactFormCompanies {
    companies(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

const CreateContact = graphql(`
  mutation ContactFormCreate($input: CreateContactInput!) {
    createContact(input: $input) {
      id
      name
    }
  }
`);

const UpdateContact = graphql(`
  mutation ContactFormUpdate($id: ID!, $input: UpdateContactInput!) {
    updateContact(id: $id, input: $input) {
      id
      ...ContactForm_contact
      ...ContactPageDetails_contact
    }
  }
`);

// Named like the inputs' fields, so the server's BAD_USER_INPUT errors land on them.
interface ContactFormValues {
  name: string;
  emails: string;
  phones: string;
  title: string;
  companyId: string;
}
const FIELDS = ["name", "emails", "phones", "title", "companyId"] as const;

/**
 * The contact form in a dialog: "New contact" when given no contact, "Edit contact" with one.
 * Calls `onSaved` with the saved contact's id and name once the server has it.
 */
export function ContactFormDialog({
  open,
  onOpenChange,
  contact: contactRef,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contact?: FragmentType<typeof ContactForm_contact>;
  onSaved: (contact: { id: string; name: string }) => void;
}) {
  const contact = getFragmentData(ContactForm_contact, contactRef);
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={contact ? "Edit contact" : "New contact"}>
      <ContactForm
        contact={contact}
        onCancel={() => onOpenChange(false)}
        onSaved={(saved) => {
          onOpenChange(false);
          onSaved(saved);
        }}
      />
    </Dialog>
  );
}

function ContactForm({
  contact,
  onCancel,
  onSaved,
}: {
  contact: ContactForm_ContactFragment | undefined;
  onCancel: () => void;
  onSaved: (contact: { id: string; name: string }) => void;
}) {
  // Fresh each time the form opens: a company added since should be offered.
  const companies = useQuery(ContactFormCompanies, { fetchPolicy: "cache-and-network" });
  const [createContact] = useMutation(CreateContact, { refetchQueries: ["ContactsPage"] });
  const [updateContact] = useMutation(UpdateContact, { refetchQueries: ["ContactsPage"] });
  const [error, setError] = useState<unknown>(null);
  const form = useForm<ContactFormValues>({
    defaultValues: {
      name: contact?.name ?? "",
      emails: contact?.emails.join(", ") ?? "",
      phones: contact?.phones.join(", ") ?? "",
      title: contact?.title ?? "",
      companyId: contact?.company?.id ?? "",
    },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const fields = {
      name: values.name.trim(),
      emails: splitList(values.emails),
      phones: splitList(values.phones),
      title: values.title.trim() || null,
      companyId: values.companyId || null,
    };
    try {
      if (contact) {
        const { data } = await updateContact({ variables: { id: contact.id, input: fields } });
        if (data) onSaved({ id: data.updateContact.id, name: fields.name });
      } else {
        const { data } = await createContact({ variables: { input: fields } });
        if (data) onSaved(data.createContact);
      }
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, FIELDS)) setError(caught);
    }
  });

  const companyOptions = (companies.data?.companies.edges ?? []).map(({ node }) => node);
  // The contact's company stays selectable even when it is not among the first page of companies.
  if (contact?.company && !companyOptions.some((company) => company.id === contact.company?.id)) {
    companyOptions.unshift(contact.company);
  }
  return (
    <form onSubmit={submit} noValidate>
      <Field label="Name" error={errors.name}>
        {(props) => (
          <input
            {...props}
            autoComplete="off"
            {...form.register("name", {
              validate: (value) => value.trim().length > 0 || "Enter the contact's name",
              maxLength: { value: 200, message: "Use at most 200 characters" },
            })}
          />
        )}
      </Field>
      <Field label="Email" error={errors.emails} hint="Separate several addresses with commas.">
        {(props) => (
          <input
            {...props}
            type="text"
            inputMode="email"
            autoComplete="off"
            {...form.register("emails", {
              validate: (value) => {
                const emails = splitList(value);
                if (emails.length > 10) return "Enter at most 10 addresses";
                const bad = emails.find((email) => !EMAIL_PATTERN.test(email));
                return bad ? `Enter an email address like name@example.com ("${bad}" is not one)` : true;
              },
            })}
          />
        )}
      </Field>
      <Field label="Phone" error={errors.phones}>
        {(props) => (
          <input
            {...props}
            type="tel"
            autoComplete="off"
            {...form.register("phones", {
              validate: (value) =>
                splitList(value).every((phone) => PHONE_PATTERN.test(phone)) || "Use digits, spaces and + - ( ) . only",
            })}
          />
        )}
      </Field>
      <Field label="Job title" error={errors.title}>
        {(props) => (
          <input
            {...props}
            autoComplete="off"
            {...form.register("title", { maxLength: { value: 200, message: "Use at most 200 characters" } })}
          />
        )}
      </Field>
      <Field
        label="Company"
        error={errors.companyId}
        {...(companies.error ? { hint: "The companies could not be loaded; you can set one later." } : {})}
      >
        {(props) => (
          <select {...props} {...form.register("companyId")}>
            <option value="">No company</option>
            {companyOptions.map((company) => (
              <option key={company.id} value={company.id}>
                {company.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorNotice error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

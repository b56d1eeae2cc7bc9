/**
 * The pieces the start screen's forms (host-form.ts, join-form.ts, guest-form.ts) are built
 * from: the card with its heading, a labelled input with its hint or its error sentence tied to it
 * for screen readers (aria-describedby), the form's error line and its submit button.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { ifDefined } from 'lit/directives/if-defined.js';

export type FormName = 'host' | 'join';

export interface FieldSpec {
  label: string;
  type?: 'text' | 'password';
  autocomplete?: string;
  inputmode?: 'numeric';
  placeholder?: string;
  hint?: string;
  disabled?: boolean;
}

/** What a form's template gets from the screen, which holds the values and does the connecting. */
export interface FormContext {
  name: FormName;
  /** The form that is connecting, if any: no form submits meanwhile. */
  busy: FormName | undefined;
  /** Why this form's last connection failed, as a sentence. */
  error: string | undefined;
  onSubmit: (event: SubmitEvent) => void;
  /** One input of this form, bound to its value and its error. */
  field(key: string, spec: FieldSpec): TemplateResult;
}

export interface FieldOptions {
  /** Element id; the hint and error get `${id}-hint` and `${id}-error`. */
  id: string;
  name: string;
  value: string;
  error: string | undefined;
  spec: FieldSpec;
  onInput: (value: string) => void;
}

/** One form card; its heading names the form for screen readers (aria-labelledby). */
export function formCard(
  form: FormContext,
  title: string | TemplateResult,
  content: TemplateResult,
): TemplateResult {
  return html`
    <form
      id="${form.name}-form"
      class="card"
      novalidate
      aria-labelledby="${form.name}-title"
      @submit=${form.onSubmit}
    >
      <h2 id="${form.name}-title">${title}</h2>
      ${content}
    </form>
  `;
}

/** The form's submit button, disabled while any form is busy or `blocked` holds. */
export function submitButton(
  form: FormContext,
  label: string,
  busyLabel: string,
  blocked = false,
): TemplateResult {
  return html`
    <button class="primary" type="submit" ?disabled=${form.busy !== undefined || blocked}>
      ${form.busy === form.name ? busyLabel : label}
    </button>
  `;
}

/** Why the form's last connection failed, announced as it appears. */
export function formError(form: FormContext): TemplateResult | typeof nothing {
  if (form.error === undefined) return nothing;
  return html`<p class="form-error" role="alert">${form.error}</p>`;
}

export function formField({ id, name, value, error, spec, onInput }: FieldOptions): TemplateResult {
  const describedBy = error ? `${id}-error` : spec.hint ? `${id}-hint` : undefined;
  return html`
    <div class="field">
      <label for=${id}>${spec.label}</label>
      <input
        id=${id}
        name=${name}
        type=${spec.type ?? 'text'}
        .value=${live(value)}
        autocomplete=${ifDefined(spec.autocomplete)}
        inputmode=${ifDefined(spec.inputmode)}
        placeholder=${ifDefined(spec.placeholder)}
        ?disabled=${spec.disabled ?? false}
        spellcheck="false"
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${ifDefined(describedBy)}
        @input=${(event: Event) => onInput((event.target as HTMLInputElement).value)}
      />
      ${
        error
          ? html`<p id="${id}-error" class="error-text">${error}</p>`
          : spec.hint
            ? html`<p id="${id}-hint" class="field-hint">${spec.hint}</p>`
            : nothing
      }
    </div>
  `;
}

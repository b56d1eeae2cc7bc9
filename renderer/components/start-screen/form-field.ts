/**
 * One labelled input of the start screen's forms, with its hint or its error sentence tied to it
 * for screen readers (aria-describedby) and marked invalid while the error stands.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { ifDefined } from 'lit/directives/if-defined.js';

export interface FieldSpec {
  label: string;
  type?: 'text' | 'password';
  autocomplete?: string;
  inputmode?: 'numeric';
  placeholder?: string;
  hint?: string;
  disabled?: boolean;
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

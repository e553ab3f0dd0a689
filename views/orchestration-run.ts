/**
 * Orchestration run view (run_orchestration, resume_orchestration_run): the run's steps with their status;
 * a paused human step shows its typed form (boolean → checkbox, number → number field, select → choices,
 * multiple select → several checkboxes, text/email/date → the matching input), and submitting sends
 * resume_orchestration_run through the host with the typed answers, checked first as the server's own form
 * path checks them (tools/synapse/human-form.ts).
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import {
  answerKind,
  type HumanFieldSpec,
  type OptionValue,
  readHumanFields,
} from '../tools/synapse/human-fields.js';
import { answersFrom } from '../tools/synapse/human-form.js';
import { ViewBridge } from './shared/bridge.js';
import { h, present, resultText, structured } from './shared/dom.js';
import { applyHostLook } from './shared/theme.js';

interface Step {
  step_id?: string | null;
  step_name?: string | null;
  step_type?: string | null;
  status?: string | null;
  duration_seconds?: number | null;
  error?: string | null;
}

interface RunResult {
  status?: string;
  run_id?: string;
  response?: string;
  next_step?: string;
  step_history?: Step[];
  human_input_required?: {
    step_id?: string | null;
    prompt?: string | null;
    fields?: unknown[];
    agent_context?: string | null;
  };
}

const root = document.getElementById('app') ?? document.body;

const bridge = new ViewBridge(
  { name: 'syn-mcp orchestration run', version: '1' },
  {
    hostContext: (ctx) => applyHostLook(ctx),
    toolInput: (args) => {
      const what = typeof args.orch_id === 'string' ? `orchestration ${args.orch_id}` : 'the run';
      root.replaceChildren(
        h('h1', {}, 'Synapse orchestration run'),
        h(
          'p',
          { role: 'status' },
          h('span', { class: 'badge s-running' }, 'running'),
          ` Waiting for ${what}…`,
        ),
      );
    },
    toolResult: (result) => show(result),
    toolCancelled: () => root.replaceChildren(h('p', { class: 'muted' }, 'The run call was cancelled.')),
  },
);

function badge(status: string): HTMLElement {
  return h('span', { class: `badge s-${status.toLowerCase()}` }, status);
}

function show(result: CallToolResult): void {
  const data = structured(result) as RunResult | undefined;
  if (!data) {
    root.replaceChildren(
      h('h1', {}, 'Synapse orchestration run'),
      h('p', { class: 'error', role: 'alert' }, resultText(result) || 'The run failed.'),
    );
    return;
  }
  const status = data.status ?? 'unknown';
  const human = data.human_input_required;
  // Synapse's paused result carries no step history: the step that waits is the one it names.
  const history: Step[] = [...(data.step_history ?? [])];
  if (status === 'paused' && human?.step_id && !history.some((s) => s.step_id === human.step_id)) {
    history.push({
      step_id: human.step_id,
      step_name: `${human.step_id} (waiting for your input)`,
      step_type: 'human',
      status: 'paused',
    });
  }
  const steps = history.map((s, i) =>
    h(
      'li',
      { 'data-step': s.step_id ?? String(i) },
      badge(s.status ?? 'unknown'),
      h('span', { class: 'name' }, s.step_name ?? s.step_id ?? `Step ${i + 1}`),
      s.step_type ? h('span', { class: 'muted' }, s.step_type) : null,
      typeof s.duration_seconds === 'number'
        ? h('span', { class: 'muted' }, `${s.duration_seconds.toFixed(1)} s`)
        : null,
      s.error ? h('span', { class: 'error' }, s.error) : null,
    ),
  );
  root.replaceChildren(
    ...present(
      h('h1', {}, 'Synapse orchestration run ', badge(status)),
      h('p', { class: 'muted' }, `Run ${data.run_id ?? '?'}`),
      steps.length > 0 ? h('ol', { class: 'steps', 'aria-label': 'Steps' }, ...steps) : null,
      data.response
        ? h('div', {}, h('h2', {}, 'Response'), h('p', { class: 'response' }, data.response))
        : null,
      status === 'paused' && human && data.run_id ? humanForm(data.run_id, human) : null,
      status !== 'paused' && data.next_step ? h('p', { class: 'muted' }, data.next_step) : null,
    ),
  );
}

/** One input per field, of the kind its answer takes; `read` gives the typed answer back. */
interface Control {
  node: HTMLElement;
  read(): unknown;
}

function controlFor(field: HumanFieldSpec, index: number): Control {
  const id = `f${index}`;
  const label = field.label ?? field.name;
  const options: OptionValue[] = field.options ?? [];
  const optionLabel = (i: number) => field.optionLabels?.[i] ?? String(options[i]);
  switch (answerKind(field)) {
    case 'boolean': {
      const input = h('input', { type: 'checkbox', id, name: field.name });
      return {
        node: h('div', { class: 'field check' }, h('label', { for: id }, input, label)),
        read: () => input.checked,
      };
    }
    case 'number':
    case 'integer': {
      const integer = answerKind(field) === 'integer';
      const input = h('input', {
        type: 'number',
        id,
        name: field.name,
        step: integer ? '1' : 'any',
        required: true,
      });
      return {
        node: h('div', { class: 'field' }, h('label', { for: id }, label), input),
        read: () => (input.value === '' ? undefined : input.valueAsNumber),
      };
    }
    case 'select': {
      const select = h(
        'select',
        { id, name: field.name, required: true },
        h('option', { value: '' }, 'Choose…'),
        ...options.map((_, i) => h('option', { value: String(i) }, optionLabel(i))),
      );
      return {
        node: h('div', { class: 'field' }, h('label', { for: id }, label), select),
        read: () => (select.value === '' ? undefined : options[Number(select.value)]),
      };
    }
    case 'multiselect': {
      const boxes = options.map((_, i) =>
        h('input', { type: 'checkbox', id: `${id}-${i}`, name: field.name, value: String(i) }),
      );
      return {
        node: h(
          'fieldset',
          { class: 'field' },
          h('legend', {}, label),
          ...boxes.map((box, i) => h('label', { for: `${id}-${i}` }, box, optionLabel(i))),
        ),
        read: () => boxes.flatMap((box, i) => (box.checked ? [options[i]] : [])),
      };
    }
    default: {
      const kind = answerKind(field);
      const input =
        field.type === 'textarea'
          ? h('textarea', { id, name: field.name, rows: 3 })
          : h('input', {
              type: kind === 'email' ? 'email' : kind === 'date' ? 'date' : 'text',
              id,
              name: field.name,
            });
      return {
        node: h('div', { class: 'field' }, h('label', { for: id }, label), input),
        read: () => input.value,
      };
    }
  }
}

function humanForm(runId: string, human: NonNullable<RunResult['human_input_required']>): HTMLElement {
  const fields = readHumanFields(human.fields ?? []);
  const controls = fields.map((f, i) => ({ field: f, control: controlFor(f, i) }));
  // A question without fields takes one free-text answer under `response` (resume_orchestration_run).
  const free =
    fields.length === 0 ? controlFor({ name: 'response', type: 'text', label: 'Your answer' }, 0) : undefined;
  const problems = h('div', { class: 'error', role: 'alert', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'button', class: 'primary' }, 'Submit and resume');
  const form = h(
    'form',
    { 'aria-label': 'Human input' },
    h('h2', {}, 'Your input is needed'),
    human.prompt ? h('p', { class: 'prompt' }, human.prompt) : null,
    human.agent_context
      ? h('div', { class: 'context', 'aria-label': 'Agent output' }, human.agent_context)
      : null,
    ...controls.map((c) => c.control.node),
    free?.node ?? null,
    problems,
    submit,
  );
  // Hosts sandbox views, often without `allow-forms`, where a form is never submitted: the button and
  // Enter in a field send the answers themselves.
  form.noValidate = true;
  form.addEventListener('submit', (event) => event.preventDefault());
  submit.addEventListener('click', () => void send());
  form.addEventListener('input', () => {
    problems.textContent = '';
  });
  form.addEventListener('keydown', (event) => {
    const target = event.target;
    if (event.key === 'Enter' && target instanceof HTMLInputElement && target.type !== 'checkbox') {
      event.preventDefault();
      void send();
    }
  });
  async function send(): Promise<void> {
    let response: Record<string, unknown>;
    if (free) {
      response = { response: free.read() };
    } else {
      const content: Record<string, unknown> = {};
      for (const { field, control } of controls) {
        const value = control.read();
        if (value !== undefined && !(typeof value === 'number' && Number.isNaN(value)))
          content[field.name] = value;
      }
      const checked = answersFrom(content, fields);
      if (!checked.ok) {
        problems.textContent = `Please correct: ${checked.problems.join('; ')}`;
        return;
      }
      response = checked.response;
    }
    problems.textContent = '';
    submit.disabled = true;
    submit.textContent = 'Resuming…';
    try {
      show(await bridge.callTool('resume_orchestration_run', { run_id: runId, response }));
    } catch (err) {
      problems.textContent = `The host did not resume the run: ${String(err)}`;
      submit.disabled = false;
      submit.textContent = 'Submit and resume';
    }
  }
  return form;
}

void bridge.connect().catch((err: unknown) => {
  root.replaceChildren(h('p', { class: 'error' }, `Could not reach the host: ${String(err)}`));
});

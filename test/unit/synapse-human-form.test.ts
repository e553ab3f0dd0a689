import { describe, expect, it } from 'vitest';
import { placeholder, readHumanFields } from '../../tools/synapse/human-fields.js';
import { answersFrom, formFor } from '../../tools/synapse/human-form.js';

/** Fields as the real backend and its example bundles write them (api-notes §2c). */
const RAW = [
  { name: 'approved', type: 'boolean', label: 'Approve publication?' },
  { key: 'budget', type: 'number', label: 'Budget (EUR)' },
  { name: 'copies', type: 'integer', label: 'Copies' },
  { name: 'priority', type: 'select', label: 'Priority', options: ['low', 'normal', 'high'] },
  {
    name: 'channels',
    type: 'select',
    label: 'Channels',
    options: ['blog', 'email', 'social'],
    multiple: true,
  },
  {
    name: 'tier',
    type: 'select',
    options: [
      { value: 'p1', label: 'Urgent' },
      { value: 'p3', label: 'Later' },
    ],
  },
  { name: 'notes', type: 'text', label: 'Notes' },
  { name: 'owner', type: 'email', label: 'Owner email' },
  { name: 'launch', type: 'date', label: 'Launch date' },
];
const FIELDS = readHumanFields(RAW);

const GOOD = {
  approved: true,
  budget: 1250.5,
  copies: 3,
  priority: 'high',
  channels: ['blog', 'social'],
  tier: 'p1',
  notes: 'ship it',
  owner: 'ana@example.com',
  launch: '2026-12-24',
};

describe('readHumanFields', () => {
  it('reads name, else key; keeps type, label, options (values), option labels and multiple', () => {
    expect(FIELDS.map((f) => f.name)).toEqual([
      'approved',
      'budget',
      'copies',
      'priority',
      'channels',
      'tier',
      'notes',
      'owner',
      'launch',
    ]);
    expect(FIELDS[4]).toEqual({
      name: 'channels',
      type: 'select',
      label: 'Channels',
      options: ['blog', 'email', 'social'],
      multiple: true,
    });
    expect(FIELDS[5]).toEqual({
      name: 'tier',
      type: 'select',
      options: ['p1', 'p3'],
      optionLabels: ['Urgent', 'Later'],
    });
  });

  it('gives typed placeholders: booleans and numbers unquoted, options listed', () => {
    expect(FIELDS.map(placeholder)).toEqual([
      '<true or false, not a string>',
      '<a number, not a string>',
      '<a whole number, not a string>',
      '<one of "low", "normal", "high">',
      '<an array of any of "blog", "email", "social">',
      '<one of "p1", "p3">',
      '"<text>"',
      '"<an email address>"',
      '"<a date, YYYY-MM-DD>"',
    ]);
  });
});

describe('formFor', () => {
  it('builds a flat form schema of primitives, titled by label, every field required', () => {
    expect(formFor(FIELDS)).toEqual({
      type: 'object',
      properties: {
        approved: { type: 'boolean', title: 'Approve publication?' },
        budget: { type: 'number', title: 'Budget (EUR)' },
        copies: { type: 'integer', title: 'Copies' },
        priority: { type: 'string', title: 'Priority', enum: ['low', 'normal', 'high'] },
        channels: {
          type: 'array',
          title: 'Channels',
          items: { type: 'string', enum: ['blog', 'email', 'social'] },
        },
        tier: {
          type: 'string',
          oneOf: [
            { const: 'p1', title: 'Urgent' },
            { const: 'p3', title: 'Later' },
          ],
        },
        notes: { type: 'string', title: 'Notes' },
        owner: { type: 'string', title: 'Owner email', format: 'email' },
        launch: { type: 'string', title: 'Launch date', format: 'date' },
      },
      required: ['approved', 'budget', 'copies', 'priority', 'channels', 'tier', 'notes', 'owner', 'launch'],
    });
  });

  it('titles the options of a multiple select with anyOf when the backend gave labels', () => {
    const fields = readHumanFields([
      { name: 'teams', type: 'select', multiple: true, options: [{ value: 'r', label: 'Red' }, 'b'] },
    ]);
    expect(formFor(fields).properties.teams).toEqual({
      type: 'array',
      items: {
        anyOf: [
          { const: 'r', title: 'Red' },
          { const: 'b', title: 'b' },
        ],
      },
    });
    expect(answersFrom({ teams: ['b', 'r'] }, fields)).toEqual({ ok: true, response: { teams: ['b', 'r'] } });
  });

  it('maps checkbox to boolean and unknown types to text', () => {
    const fields = readHumanFields([
      { name: 'ok', type: 'checkbox' },
      { name: 'body', type: 'textarea' },
      { name: 'odd', type: 'color' },
    ]);
    expect(formFor(fields).properties).toEqual({
      ok: { type: 'boolean' },
      body: { type: 'string' },
      odd: { type: 'string' },
    });
  });

  it('leaves out fields with no name and duplicates', () => {
    const schema = formFor(
      readHumanFields([{ type: 'text' }, { name: 'a' }, { name: 'a', type: 'boolean' }]),
    );
    expect(schema).toEqual({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
  });
});

describe('answersFrom', () => {
  it('returns the typed response object unchanged when every answer has its type', () => {
    expect(answersFrom(GOOD, FIELDS)).toEqual({ ok: true, response: GOOD });
  });

  it('refuses a string "true" for a boolean and a string number, naming each field', () => {
    const result = answersFrom({ ...GOOD, approved: 'true', budget: '1250' }, FIELDS);
    expect(result).toEqual({
      ok: false,
      problems: ['approved: expected true or false, got "true"', 'budget: expected a number, got "1250"'],
    });
  });

  it('refuses options outside the list, a non-array multiple select, bad email/date, missing and unknown keys', () => {
    const { notes: _notes, ...withoutNotes } = GOOD;
    const result = answersFrom(
      {
        ...withoutNotes,
        copies: 2.5,
        priority: 'urgent',
        channels: 'blog',
        owner: 'nope',
        launch: '24/12/2026',
        x: 1,
      },
      FIELDS,
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([
      'copies: expected a whole number, got 2.5',
      'priority: expected one of "low", "normal", "high", got "urgent"',
      'channels: expected an array of "blog", "email", "social", got "blog"',
      'notes: missing',
      'owner: expected an email address, got "nope"',
      'launch: expected a date (YYYY-MM-DD), got "24/12/2026"',
      'x: not a field of this step',
    ]);
  });

  it('maps a form string back to a non-string option value', () => {
    const fields = readHumanFields([{ name: 'level', type: 'select', options: [1, 2, 3] }]);
    expect(formFor(fields).properties.level).toEqual({ type: 'string', enum: ['1', '2', '3'] });
    expect(answersFrom({ level: '2' }, fields)).toEqual({ ok: true, response: { level: 2 } });
    expect(answersFrom({ level: 2 }, fields)).toEqual({ ok: true, response: { level: 2 } });
  });

  it('refuses content that is not an object', () => {
    expect(answersFrom('yes', FIELDS)).toEqual({ ok: false, problems: ['the answers are not an object'] });
  });
});

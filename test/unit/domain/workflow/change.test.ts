/**
 * The rules of a workflow change (functions/domain/workflow/change.ts), as pure functions:
 * what a body asks for, what the content becomes, whether a working copy already holds it,
 * which kept secret would move, and what a deploy or a rollback snapshots. Sealed values
 * are opaque text here (`sealed:…`), as they are to these rules.
 */
import {
  applyChange,
  changeFrom,
  contentOf,
  deployAsIs,
  leavesUnchanged,
  llmApiBaseOriginAfter,
  movesKeptCredential,
  resolveNotificationKeeps,
  rollbackTo,
  type WorkflowChange,
} from '../../../../functions/domain/workflow/change.js';
import type { StoredContent, WorkflowRecord } from '../../../../functions/domain/workflow/model.js';
import { RuleViolationError } from '../../../../functions/errors.js';

const mask = '********';
const text = (value: unknown) => JSON.stringify(value);

/** A working copy holding `content`. */
const record = (content: StoredContent): WorkflowRecord => ({
  id: 'wf',
  organizationId: 'org',
  version: 1,
  revision: 4,
  hasPendingChanges: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'test',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'test',
  ...content,
});

/** The violation rules of the error `act` throws. */
function refusedRules(act: () => unknown): string[] {
  try {
    act();
  } catch (error) {
    if (error instanceof RuleViolationError) return error.violations.map((violation) => violation.rule);
    throw error;
  }
  throw new Error('not refused');
}

describe('changeFrom: what a body asks for', () => {
  test('each field sent is set as JSON text; null, a documented default and unknown fields set nothing', () => {
    // Act
    const change = changeFrom({ model_name: 'gpt-5', description: null, icon: '🚀', id: 'ignored', version: 3 });
    // Assess
    expect(change).toEqual({ set: { model_name: text('gpt-5') }, remove: ['description', 'icon'] });
  });

  test("the keys xpander's SDK derives into instructions are dropped", () => {
    // Act
    const change = changeFrom({ instructions: { role: ['r'], goal: ['g'], general: 'x', goal_str: 'g', full: 'f' } });
    // Assess
    expect(change.set.instructions).toBe(text({ role: ['r'], goal: ['g'], general: 'x' }));
  });

  test('a credential sent in clear is a value to seal, the mask keeps what is stored, null clears it', () => {
    // Act
    const sent = changeFrom({ llm_credentials: { name: 'openai', value: 'sk-1', description: null } });
    const masked = changeFrom({ llm_credentials: { name: 'openai', value: mask, description: 'main' } });
    const cleared = changeFrom({ llm_credentials: null });
    // Assess
    expect(sent).toEqual({
      set: { llm_credentials: text({ name: 'openai' }) },
      remove: [],
      credential: { value: 'sk-1' },
    });
    expect(masked.set.llm_credentials).toBe(text({ name: 'openai', description: 'main' }));
    expect(masked.credential).toBe('keep');
    expect(cleared).toEqual({ set: {}, remove: ['llm_credentials'], credential: 'clear' });
  });

  test('notification settings are stored masked; their secrets are split into sent and masked, by place', () => {
    // Prepare
    const settings = {
      on_success: { slack: [{ channels: ['#ops'], credentials: { access_token: 'xoxb-1' } }] },
      on_error: { webhook: [{ url: 'https://hooks.example.com/a', headers: { Authorization: mask } }] },
    };
    // Act
    const change = changeFrom({ notification_settings: settings });
    // Assess
    expect(JSON.parse(change.set.notification_settings)).toEqual({
      on_success: { slack: [{ channels: ['#ops'], credentials: { access_token: mask } }] },
      on_error: { webhook: [{ url: 'https://hooks.example.com/a', headers: { Authorization: mask } }] },
    });
    expect(change.notifications?.fresh.map((secret) => [secret.place, secret.value])).toEqual([
      ['/on_success/slack/0/credentials/access_token', 'xoxb-1'],
    ]);
    expect(change.notifications?.kept.map((secret) => secret.place)).toEqual([
      '/on_error/webhook/0/headers/Authorization',
    ]);
  });

  test('null notification settings remove the settings and every stored notification secret', () => {
    // Act
    const change = changeFrom({ notification_settings: null });
    // Assess
    expect(change).toEqual({
      set: {},
      remove: ['notification_settings'],
      notifications: { fresh: [], kept: [], settings: null },
    });
  });
});

describe('resolveNotificationKeeps: a mask meets what is stored', () => {
  const place = '/on_error/webhook/0/headers/Authorization';
  const storedSettings = {
    on_error: { webhook: [{ url: 'https://hooks.example.com/a', headers: { Authorization: mask } }] },
  };
  const stored: StoredContent = {
    fields: { notification_settings: text(storedSettings) },
    notificationSecrets: { [place]: 'sealed:old-header' },
  };
  const keeping = (url: string): WorkflowChange => {
    const { notifications } = changeFrom({
      notification_settings: { on_error: { webhook: [{ url, headers: { Authorization: mask } }] } },
    });
    return {
      set: {},
      remove: [],
      notificationKeeps: {
        fresh: { '/other': 'sealed:new' },
        kept: notifications!.kept,
        settings: notifications!.settings,
      },
    };
  };

  test('the mask keeps the sealed value stored at its place, beside the new ones', () => {
    // Act
    const resolved = resolveNotificationKeeps(keeping('https://hooks.example.com/b'), stored);
    // Assess
    expect(resolved).toEqual({
      set: {},
      remove: [],
      notificationSecrets: { '/other': 'sealed:new', [place]: 'sealed:old-header' },
    });
  });

  test('a mask with nothing stored at its place, or whose webhook moves to another origin, is refused', () => {
    // Act / Assess
    expect(
      refusedRules(() => resolveNotificationKeeps(keeping('https://hooks.example.com/a'), { fields: {} })),
    ).toEqual(['secret_not_stored']);
    expect(refusedRules(() => resolveNotificationKeeps(keeping('https://elsewhere.example.com/a'), stored))).toEqual([
      'secret_same_destination',
    ]);
  });
});

describe('applyChange: the content a change leaves', () => {
  const stored: StoredContent = {
    fields: { name: text('n'), llm_api_base: text('https://llm.example.com/v1'), icon: text('x') },
    llmCredentialsValue: 'sealed:credential',
    notificationSecrets: { '/a': 'sealed:a' },
  };

  test('fields set and cleared; a kept credential stays; a new one or a clear replaces it', () => {
    // Act
    const kept = applyChange(stored, {
      set: { name: text('m') },
      remove: ['icon'],
      credential: { keep: { sealedUnder: 'enc:v1:k:' } },
    });
    const replaced = applyChange(stored, { set: {}, remove: [], credential: { sealed: 'sealed:new' } });
    const cleared = applyChange(stored, { set: {}, remove: [], credential: 'clear', notificationSecrets: {} });
    // Assess
    expect(kept).toEqual({
      fields: { name: text('m'), llm_api_base: text('https://llm.example.com/v1') },
      llmCredentialsValue: 'sealed:credential',
      notificationSecrets: { '/a': 'sealed:a' },
    });
    expect(replaced.llmCredentialsValue).toBe('sealed:new');
    expect(cleared).toEqual({ fields: stored.fields });
  });

  test('a kept credential may move llm_api_base within its origin, not to another one, nor be kept when none is stored', () => {
    // Prepare
    const moving = (url: string | null): WorkflowChange =>
      url === null ? { set: {}, remove: ['llm_api_base'] } : { set: { llm_api_base: text(url) }, remove: [] };
    // Act / Assess
    expect(applyChange(stored, moving('https://llm.example.com/v2')).fields.llm_api_base).toBe(
      text('https://llm.example.com/v2'),
    );
    expect(refusedRules(() => applyChange(stored, moving('https://other.example.com/v1')))).toEqual([
      'secret_same_destination',
    ]);
    expect(refusedRules(() => applyChange(stored, moving(null)))).toEqual(['secret_same_destination']);
    expect(
      refusedRules(() =>
        applyChange({ fields: {} }, { set: {}, remove: [], credential: { keep: { sealedUnder: 'enc:v1:k:' } } }),
      ),
    ).toEqual(['secret_not_stored']);
  });

  test('masked notification secrets must be resolved first', () => {
    // Act / Assess
    expect(() =>
      applyChange(stored, { set: {}, remove: [], notificationKeeps: { fresh: {}, kept: [], settings: {} } }),
    ).toThrow(/resolved/);
  });
});

describe('which kept credential moves', () => {
  test.each([
    [
      'llm_api_base set, credential untouched',
      true,
      { set: { llm_api_base: text('https://a.example.com') }, remove: [] },
    ],
    [
      'llm_api_base cleared, credential kept',
      true,
      { set: {}, remove: ['llm_api_base'], credential: { keep: { sealedUnder: 'p' } } },
    ],
    [
      'llm_api_base set with a new credential',
      false,
      { set: { llm_api_base: text('https://a.example.com') }, remove: [], credential: { sealed: 's' } },
    ],
    ['llm_api_base untouched', false, { set: { name: text('n') }, remove: [] }],
  ] as [string, boolean, WorkflowChange][])('%s: the stored credential moves = %s', (_case, moves, change) => {
    // Act / Assess
    expect(movesKeptCredential(change)).toBe(moves);
  });

  test("the origin after a move is the new URL's, or none when llm_api_base is cleared", () => {
    // Act / Assess
    expect(llmApiBaseOriginAfter({ set: { llm_api_base: text('https://a.example.com:8443/v1') }, remove: [] })).toBe(
      'https://a.example.com:8443',
    );
    expect(llmApiBaseOriginAfter({ set: {}, remove: ['llm_api_base'] })).toBe('');
  });
});

describe('leavesUnchanged: a PATCH that writes nothing', () => {
  const copy = record({
    fields: { name: text('n') },
    llmCredentialsValue: 'sealed:c',
    notificationSecrets: { '/a': 's' },
  });

  test('what is stored already, a kept credential that is stored, the same notification secrets: unchanged', () => {
    // Act / Assess
    expect(
      leavesUnchanged(copy, {
        set: { name: text('n') },
        remove: ['icon'],
        credential: { keep: { sealedUnder: 'p' } },
        notificationSecrets: { '/a': 's' },
      }),
    ).toBe(true);
  });

  test.each([
    ['a field with another value', { set: { name: text('m') }, remove: [] }],
    ['a stored field cleared', { set: {}, remove: ['name'] }],
    ['a new sealed credential', { set: {}, remove: [], credential: { sealed: 'sealed:c' } }],
    ['the stored credential cleared', { set: {}, remove: [], credential: 'clear' }],
    ['other notification secrets', { set: {}, remove: [], notificationSecrets: {} }],
  ] as [string, WorkflowChange][])('%s writes something', (_case, change) => {
    // Act / Assess
    expect(leavesUnchanged(copy, change)).toBe(false);
  });
});

describe('what a deploy snapshots', () => {
  const working: StoredContent = {
    fields: { name: text('staged'), icon: text('x') },
    llmCredentialsValue: 'sealed:now',
    notificationSecrets: { '/a': 'sealed:a' },
  };

  test('a deploy as is changes nothing and snapshots the working copy', () => {
    // Act / Assess
    expect(deployAsIs(working)).toEqual({ change: { set: {}, remove: [] }, content: contentOf(working) });
  });

  test("a rollback makes the working copy the snapshot's content: its fields, its sealed values, nothing staged on top", () => {
    // Prepare
    const snapshot: StoredContent = { fields: { name: text('v1') } };
    // Act
    const { change, content } = rollbackTo(working, snapshot);
    // Assess
    expect(change).toEqual({
      set: { name: text('v1') },
      remove: ['icon'],
      credential: 'clear',
      notificationSecrets: {},
    });
    expect(content).toEqual({ fields: { name: text('v1') } });
    expect(applyChange(working, change)).toEqual(content);
  });
});

/** The workflow model: the answer a stored working copy or snapshot makes. */
import { toWorkflowResponse } from '../../../../functions/domain/workflow/model.js';

const settings = {
  on_error: {
    webhook: [{ url: 'https://hooks.example.com', headers: { Authorization: 'Bearer s3cr3t', 'X-Seen': '********' } }],
    slack: [{ channels: ['#ops'], credentials: { token: 'xoxb-s3cr3t' } }],
  },
};

test('a working copy holding notification secrets in clear (written before 0.2.0) answers with every one masked', () => {
  // Act
  const answer = toWorkflowResponse(
    { fields: { name: '"w"', notification_settings: JSON.stringify(settings) } },
    {
      id: 'w',
      organizationId: 'o',
      uniqueName: 'w',
      version: 1,
      isLatest: true,
      hasPendingChanges: false,
      createdAt: 't',
      createdBy: 'k',
    },
  );
  // Assess
  expect(JSON.stringify(answer)).not.toContain('s3cr3t');
  expect(answer.notification_settings).toEqual({
    on_error: {
      webhook: [{ url: 'https://hooks.example.com', headers: { Authorization: '********', 'X-Seen': '********' } }],
      slack: [{ channels: ['#ops'], credentials: { token: '********' } }],
    },
  });
});

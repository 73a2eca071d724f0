/** Notification secrets: which stored values are still in clear (written before 0.2.0). */
import { unsealedNotificationSecrets } from '../../../../functions/domain/workflow/notifications.js';

const settings = {
  on_error: {
    webhook: [{ url: 'https://hooks.example.com', headers: { Authorization: 'Bearer s3cr3t', 'X-Seen': '********' } }],
    slack: [{ channels: ['#ops'], credentials: { token: 'xoxb-s3cr3t' } }],
  },
};

test('the secrets of stored settings that are not the mask: values a release before 0.2.0 left in clear', () => {
  // Act
  const unsealed = unsealedNotificationSecrets(settings);
  // Assess
  expect(unsealed.map((secret) => secret.place)).toEqual([
    '/on_error/slack/0/credentials/token',
    '/on_error/webhook/0/headers/Authorization',
  ]);
});

export {
  CHANNEL_KINDS,
  channelTargetSchema,
  describeTarget,
  InvalidTargetError,
  parseChannelTarget,
  type ChannelKind,
  type ChannelTarget,
  type Notification,
} from './notification.js';
export { DeliveryError } from './delivery-error.js';
export { Channels, webhookBody, type ChannelsOptions } from './channels.js';
export { EmailSender, emailMessage, type SmtpSettings } from './email.js';
export { slackMessage } from './slack.js';
export { teamsMessage } from './teams.js';
export {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
  type SignatureCheck,
} from './signature.js';
export { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.js';

/**
 * SyncGuard's workspace routes: creating one, its settings, key rotation, stats, trends, and its alert
 * channels (one per provider, each with its own required config).
 */
import { notFound, validationError } from './envelope.js';
import {
  apiKeyPrefix,
  type Channel,
  channelJson,
  newApiKey,
  newWorkspace,
  PROVIDERS,
  type Provider,
  workspaceJson,
} from './model.js';
import type { KeyContext, Route } from './router.js';
import { workspaceStats, workspaceTrends } from './stats.js';
import {
  type JsonObject,
  optionalBoolean,
  optionalJsonObject,
  optionalPositiveInt,
  optionalString,
  queryInt,
  requiredString,
  requireObject,
} from './validate.js';

function providerParam(ctx: KeyContext): Provider {
  const raw = (ctx.params.provider ?? '').toLowerCase();
  const provider = PROVIDERS.find((p) => p === raw);
  if (provider === undefined) throw validationError(`provider must be one of ${PROVIDERS.join(', ')}.`);
  return provider;
}

function requiredUrl(config: JsonObject, field: string): string {
  const value = requiredString(config, field);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw validationError(`config.${field} must be a valid URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw validationError(`config.${field} must be an http(s) URL.`);
  }
  return value;
}

function channelConfig(provider: Provider, config: JsonObject): Record<string, string> {
  const field = provider === 'pagerduty' ? 'routingKey' : provider === 'opsgenie' ? 'apiKey' : 'webhookUrl';
  if (field === 'webhookUrl') return { webhookUrl: requiredUrl(config, field) };
  const value = config[field];
  if (typeof value !== 'string' || value.trim() === '') throw validationError(`config.${field} is required.`);
  return { [field]: value };
}

/** The workspace: create, read, settings, key rotation, stats, trends and alert channels. */
export const WORKSPACE_ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/workspaces',
    auth: 'jwt',
    handler: (ctx) => {
      const name = requiredString(requireObject(ctx.req.body), 'name').trim();
      const ws = newWorkspace(name, newApiKey());
      ctx.state.workspaces.push(ws);
      return {
        data: {
          workspace: {
            id: ws.id,
            name: ws.name,
            apiKeyPrefix: apiKeyPrefix(ws.apiKey),
            isActive: ws.isActive,
          },
          apiKey: ws.apiKey,
        },
        message: 'Workspace created. Store the API key: it will not be shown again.',
      };
    },
  },
  {
    method: 'GET',
    path: '/workspaces/me',
    auth: 'apiKey',
    handler: (ctx) => ({ data: workspaceJson(ctx.ws) }),
  },
  {
    method: 'PATCH',
    path: '/workspaces/me',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = requireObject(ctx.req.body);
      const name = optionalString(body, 'name');
      const windows = {
        recoveryWindowSeconds: optionalPositiveInt(body, 'recoveryWindowSeconds', false),
        closeWindowSeconds: optionalPositiveInt(body, 'closeWindowSeconds', false),
        cooldownWindowSeconds: optionalPositiveInt(body, 'cooldownWindowSeconds', false),
      };
      if (name !== undefined) ctx.ws.name = name.trim();
      for (const [field, value] of Object.entries(windows)) {
        if (typeof value !== 'number') continue;
        if (field === 'recoveryWindowSeconds') ctx.ws.recoveryWindowSeconds = value;
        else if (field === 'closeWindowSeconds') ctx.ws.closeWindowSeconds = value;
        else ctx.ws.cooldownWindowSeconds = value;
      }
      return { data: workspaceJson(ctx.ws) };
    },
  },
  {
    method: 'POST',
    path: '/workspaces/rotate-key',
    auth: 'apiKey',
    handler: (ctx) => {
      ctx.ws.apiKey = newApiKey();
      return {
        data: {
          workspace: { id: ctx.ws.id, name: ctx.ws.name, apiKeyPrefix: apiKeyPrefix(ctx.ws.apiKey) },
          apiKey: ctx.ws.apiKey,
        },
        message: 'API key rotated. The previous key no longer works.',
      };
    },
  },
  {
    method: 'GET',
    path: '/workspaces/stats',
    auth: 'apiKey',
    handler: (ctx) => ({ data: workspaceStats(ctx.ws) }),
  },
  {
    method: 'GET',
    path: '/workspaces/trends',
    auth: 'apiKey',
    handler: (ctx) => ({ data: workspaceTrends(ctx.ws, ctx.now, queryInt(ctx.req.query, 'days', 7, 1, 90)) }),
  },
  {
    method: 'PUT',
    path: '/workspaces/me/channels/:provider',
    auth: 'apiKey',
    handler: (ctx) => {
      const provider = providerParam(ctx);
      const body = requireObject(ctx.req.body);
      const config = optionalJsonObject(body, 'config');
      if (config === undefined) throw validationError('config is required.');
      const channel: Channel = {
        provider,
        config: channelConfig(provider, config),
        isEnabled: optionalBoolean(body, 'isEnabled') ?? true,
      };
      ctx.ws.channels.set(provider, channel);
      return { data: channelJson(channel) };
    },
  },
  {
    method: 'DELETE',
    path: '/workspaces/me/channels/:provider',
    auth: 'apiKey',
    handler: (ctx) => {
      const provider = providerParam(ctx);
      if (!ctx.ws.channels.delete(provider)) throw notFound(`Channel ${provider} is not configured.`);
      return { data: null, message: `Channel ${provider} removed.` };
    },
  },
];

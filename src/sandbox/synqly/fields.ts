/**
 * The fields each emulated Synqly collection filters and orders on. A filter or order on any other field is a
 * 400 Problem naming these (choice where the documents are silent: an unknown field is refused rather than
 * matching nothing, so a typo never reads as "no results").
 */

/** Filterable fields per collection. */
export const SYNQLY_FIELDS = {
  accounts: ['id', 'name', 'fullname', 'environment', 'labels', 'created_at', 'updated_at'],
  integrations: [
    'id',
    'name',
    'fullname',
    'account_id',
    'category',
    'provider_type',
    'provider_fullname',
    'integration_point_id',
    'created_at',
    'updated_at',
  ],
  integrationPoints: ['id', 'name', 'fullname', 'connector', 'created_at', 'updated_at'],
  tokens: [
    'id',
    'name',
    'fullname',
    'owner_id',
    'owner_type',
    'token_type',
    'expires',
    'created_at',
    'updated_at',
  ],
  tickets: [
    'id',
    'name',
    'summary',
    'status',
    'priority',
    'project',
    'issue_type',
    'creator',
    'assignee',
    'contact',
    'tags',
    'due_date',
    'created_at',
    'updated_at',
  ],
  users: ['uid', 'name', 'full_name', 'email_addr', 'status', 'type'],
  siemEvents: [
    'time',
    'class_name',
    'class_uid',
    'activity_name',
    'activity_id',
    'severity',
    'status',
    'user.name',
    'user.uid',
    'src_endpoint.ip',
    'metadata.uid',
    'metadata.product.name',
  ],
  audit: ['time', 'class_name', 'activity_name', 'user.name', 'metadata.uid', 'metadata.product.name'],
} as const satisfies Record<string, readonly string[]>;

/** One entry of SendGrid's `errors` array. */
export interface SendGridFieldError {
  message: string;
  field: string | null;
  help: string | null;
}

/** Limits of the v3 Mail Send API that the sandbox enforces. */
export const MAIL_SEND_LIMITS = {
  maxPersonalizations: 1_000,
  maxRecipients: 1_000,
  maxCategories: 10,
  maxCategoryLength: 255,
  maxCustomArgsBytes: 10_000,
} as const;

const HELP_BASE = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';
const EMAIL_PATTERN =
  /^[^\s@<>()[\]",;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const TEMPLATE_ID_PATTERN =
  /^(d-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

type Json = Record<string, unknown>;

/** Tells whether `value` looks like a deliverable email address. */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 320 && EMAIL_PATTERN.test(value);
}

/** Validates a Mail Send body and returns every problem found, like SendGrid's 400 response. */
export function validateMailSend(body: unknown): SendGridFieldError[] {
  if (!isObject(body)) {
    return [fieldError('The request body must be a JSON object.', null, 'message')];
  }
  return [
    ...validatePersonalizations(body.personalizations),
    ...validateSender(body),
    ...validateSubject(body),
    ...validateContent(body),
    ...validateCustomArgs(body),
    ...validateCategories(body.categories),
  ];
}

function validatePersonalizations(value: unknown): SendGridFieldError[] {
  if (!Array.isArray(value) || value.length === 0) {
    return [
      fieldError(
        'The personalizations field is required and must contain at least one personalization.',
        'personalizations',
      ),
    ];
  }
  if (value.length > MAIL_SEND_LIMITS.maxPersonalizations) {
    return [fieldError('At most 1000 personalizations are allowed.', 'personalizations')];
  }

  const errors: SendGridFieldError[] = [];
  let recipients = 0;
  value.forEach((personalization: unknown, index) => {
    const path = `personalizations.${index}`;
    if (
      !isObject(personalization) ||
      !Array.isArray(personalization.to) ||
      personalization.to.length === 0
    ) {
      errors.push(
        fieldError(
          'Every personalization needs a to array with at least one address.',
          `${path}.to`,
        ),
      );
      return;
    }
    for (const kind of ['to', 'cc', 'bcc'] as const) {
      const list = personalization[kind];
      if (!Array.isArray(list)) continue;
      recipients += list.length;
      list.forEach((recipient: unknown, position) => {
        if (!isObject(recipient) || !isEmailAddress(recipient.email)) {
          errors.push(
            fieldError('Does not contain a valid address.', `${path}.${kind}.${position}.email`),
          );
        }
      });
    }
  });
  if (recipients > MAIL_SEND_LIMITS.maxRecipients) {
    errors.push(
      fieldError(
        'At most 1000 recipients are allowed across personalizations.',
        'personalizations',
      ),
    );
  }
  return errors;
}

function validateSender(body: Json): SendGridFieldError[] {
  const errors: SendGridFieldError[] = [];
  if (!isObject(body.from)) {
    errors.push(
      fieldError('The from object is required and must contain an email address.', 'from'),
    );
  } else if (!isEmailAddress(body.from.email)) {
    errors.push(
      fieldError('The from email does not contain a valid address.', 'from.email', 'message.from'),
    );
  }
  if (
    body.reply_to !== undefined &&
    (!isObject(body.reply_to) || !isEmailAddress(body.reply_to.email))
  ) {
    errors.push(
      fieldError(
        'The reply_to email does not contain a valid address.',
        'reply_to.email',
        'message.reply_to',
      ),
    );
  }
  return errors;
}

function validateSubject(body: Json): SendGridFieldError[] {
  if (body.template_id !== undefined) return [];
  if (typeof body.subject === 'string' && body.subject.length > 0) return [];

  const personalizations = Array.isArray(body.personalizations) ? body.personalizations : [];
  const everyHasSubject =
    personalizations.length > 0 &&
    personalizations.every(
      (entry: unknown) =>
        isObject(entry) && typeof entry.subject === 'string' && entry.subject !== '',
    );
  if (everyHasSubject) return [];
  return [
    fieldError(
      'The subject is required unless a template is used or every personalization has a subject.',
      'subject',
    ),
  ];
}

function validateContent(body: Json): SendGridFieldError[] {
  if (body.template_id !== undefined) {
    if (typeof body.template_id === 'string' && TEMPLATE_ID_PATTERN.test(body.template_id))
      return [];
    return [fieldError('The template_id is not a valid template ID.', 'template_id')];
  }
  const content = body.content;
  if (!Array.isArray(content) || content.length === 0) {
    return [
      fieldError(
        'Unless a template_id is given, content is required and must contain at least one block.',
        'content',
      ),
    ];
  }

  const errors: SendGridFieldError[] = [];
  content.forEach((block: unknown, index) => {
    if (!isObject(block) || typeof block.type !== 'string' || block.type === '') {
      errors.push(
        fieldError(
          'Every content block needs a MIME type.',
          `content.${index}.type`,
          'message.content.type',
        ),
      );
    } else if (typeof block.value !== 'string' || block.value === '') {
      errors.push(
        fieldError(
          'The content value must be a string of at least one character.',
          `content.${index}.value`,
          'message.content.value',
        ),
      );
    }
  });
  const types = content.map((block: unknown) => (isObject(block) ? block.type : undefined));
  const plainIndex = types.indexOf('text/plain');
  const htmlIndex = types.indexOf('text/html');
  if (plainIndex > 0 || (plainIndex !== -1 && htmlIndex !== -1 && htmlIndex < plainIndex)) {
    errors.push(fieldError('text/plain must come first, followed by text/html.', 'content'));
  }
  return errors;
}

function validateCustomArgs(body: Json): SendGridFieldError[] {
  const sets = [body.custom_args];
  if (Array.isArray(body.personalizations)) {
    for (const entry of body.personalizations) if (isObject(entry)) sets.push(entry.custom_args);
  }

  let bytes = 0;
  for (const args of sets) {
    if (args === undefined) continue;
    const allStrings =
      isObject(args) && Object.values(args).every((value) => typeof value === 'string');
    if (!allStrings) {
      return [
        fieldError('custom_args must be an object whose values are all strings.', 'custom_args'),
      ];
    }
    bytes += Buffer.byteLength(JSON.stringify(args));
  }
  if (bytes > MAIL_SEND_LIMITS.maxCustomArgsBytes) {
    return [fieldError('custom_args must not exceed 10000 bytes in total.', 'custom_args')];
  }
  return [];
}

function validateCategories(value: unknown): SendGridFieldError[] {
  if (value === undefined) return [];
  const valid =
    Array.isArray(value) &&
    value.length <= MAIL_SEND_LIMITS.maxCategories &&
    value.every(
      (name) =>
        typeof name === 'string' &&
        name.length > 0 &&
        name.length <= MAIL_SEND_LIMITS.maxCategoryLength,
    ) &&
    new Set(value).size === value.length;
  if (valid) return [];
  return [
    fieldError(
      'categories must be up to 10 unique strings of at most 255 characters.',
      'categories',
    ),
  ];
}

function fieldError(message: string, field: string | null, anchor?: string): SendGridFieldError {
  const topField = anchor ?? `message.${(field ?? 'message').split('.')[0]}`;
  return { message, field, help: `${HELP_BASE}#${topField}` };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

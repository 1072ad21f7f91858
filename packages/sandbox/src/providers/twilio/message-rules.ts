/** A Twilio REST error: its Twilio error code, HTTP status and message. */
export interface TwilioError {
  code: number;
  status: number;
  message: string;
}

/** Maximum message body length that Twilio accepts, in characters. */
export const MAX_BODY_CHARACTERS = 1_600;

/**
 * Twilio's magic test numbers, as documented for test credentials. Sending to or from one of
 * them fails with the listed error. Every other valid number succeeds.
 */
export const MAGIC_TO_NUMBERS: Readonly<Record<string, Omit<TwilioError, 'status'>>> = {
  '+15005550001': {
    code: 21211,
    message: "The 'To' number +15005550001 is not a valid phone number.",
  },
  '+15005550002': {
    code: 21612,
    message: "The 'To' phone number is not currently reachable via SMS.",
  },
  '+15005550003': {
    code: 21408,
    message: 'Permission to send an SMS has not been enabled for the region.',
  },
  '+15005550004': { code: 21610, message: 'Attempt to send to unsubscribed recipient.' },
  '+15005550009': { code: 21614, message: "'To' number is not a valid mobile number." },
};

export const MAGIC_FROM_NUMBERS: Readonly<Record<string, Omit<TwilioError, 'status'>>> = {
  '+15005550001': {
    code: 21212,
    message: "The 'From' number +15005550001 is not a valid phone number.",
  },
  '+15005550007': {
    code: 21606,
    message: "The 'From' phone number is not a valid, SMS-capable number for your account.",
  },
  '+15005550008': {
    code: 21611,
    message: "This 'From' number has exceeded the maximum number of queued messages.",
  },
};

/**
 * Tells whether `value` is a dialable E.164 number. North American numbers (+1) must have a
 * three-digit area code and exchange that do not start with 0 or 1, so the fiction range
 * +1 NXX 555-01XX is valid. Other countries need 7 to 15 digits in all.
 */
export function isValidPhoneNumber(value: string): boolean {
  if (value.startsWith('+1')) return /^\+1[2-9]\d{2}[2-9]\d{6}$/.test(value);
  return /^\+[2-9]\d{6,14}$/.test(value);
}

/** Tells whether `value` is an alphanumeric sender ID: up to 11 letters, digits or spaces. */
export function isAlphanumericSenderId(value: string): boolean {
  return /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(value);
}

/** Parameters of a Create Message request, as form fields. */
export interface CreateMessageParams {
  To?: string;
  From?: string;
  Body?: string;
  MessagingServiceSid?: string;
  StatusCallback?: string;
  MediaUrl?: string | string[];
}

/** Checks a Create Message request the way Twilio does. Returns the first failure. */
export function validateMessage(params: CreateMessageParams): TwilioError | undefined {
  const { To: to, From: from, Body: body } = params;
  if (!to) return badRequest(21604, "A 'To' phone number is required.");
  if (!from && !params.MessagingServiceSid)
    return badRequest(21603, "A 'From' phone number is required.");
  if (!body && !params.MediaUrl) return badRequest(21602, 'Message body is required.');

  if (!isValidPhoneNumber(to))
    return badRequest(21211, `The 'To' number ${to} is not a valid phone number.`);
  const magicTo = MAGIC_TO_NUMBERS[to];
  if (magicTo) return { ...magicTo, status: 400 };

  if (from) {
    if (!isValidPhoneNumber(from) && !isAlphanumericSenderId(from)) {
      return badRequest(
        21212,
        `The 'From' number ${from} is not a valid phone number or sender ID.`,
      );
    }
    const magicFrom = MAGIC_FROM_NUMBERS[from];
    if (magicFrom) return { ...magicFrom, status: 400 };
  }

  if (body && body.length > MAX_BODY_CHARACTERS) {
    return badRequest(21617, 'The concatenated message body exceeds the 1600 character limit.');
  }
  if (params.StatusCallback !== undefined && !isHttpUrl(params.StatusCallback)) {
    return badRequest(21609, 'The StatusCallback URL is not a valid URL.');
  }
  return undefined;
}

function badRequest(code: number, message: string): TwilioError {
  return { code, status: 400, message };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡' +
  'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters of the GSM 03.38 extension table, each sent as an escape plus one septet. */
const GSM_EXTENSION = '^{}\\[~]|€\f';

/**
 * Counts the SMS segments of a body. GSM 03.38 text fits 160 septets in one segment and 153
 * per segment when split, and any other text is UCS-2 with 70 and 67 UTF-16 units.
 */
export function countSegments(body: string): number {
  let septets = 0;
  for (const character of body) {
    if (GSM_BASIC.includes(character)) septets += 1;
    else if (GSM_EXTENSION.includes(character)) septets += 2;
    else return segmentsFor(body.length, 70, 67);
  }
  return segmentsFor(septets, 160, 153);
}

function segmentsFor(units: number, single: number, perPart: number): number {
  if (units <= single) return 1;
  return Math.ceil(units / perPart);
}

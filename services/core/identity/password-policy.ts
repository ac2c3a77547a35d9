/**
 * Password rules, NIST 800-63B style: length matters more than character
 * classes, so we require length, refuse passwords built from the user's own
 * identifiers, and refuse well-known ones. Returns every problem at once so a
 * client can show them together.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

// The most common passwords that are long enough to pass the length rule.
const COMMON = new Set([
  "1234567890",
  "12345678910",
  "qwertyuiop",
  "password123",
  "password1234",
  "passwordpassword",
  "iloveyou123",
  "1q2w3e4r5t",
  "qwerty12345",
  "qwerty123456",
  "1qaz2wsx3edc",
  "abcdefghij",
  "0987654321",
  "1111111111",
  "aaaaaaaaaa",
  "letmein123",
  "welcome123",
  "administrator",
  "football123",
  "baseball123",
  "dragon1234",
  "monkey1234",
  "sunshine123",
  "princess123",
  "changeme123",
  "trustno1234",
  "starwars123",
  "zaq12wsxcde",
]);

export interface PasswordContext {
  username?: string;
  email?: string;
}

export function passwordProblems(password: string, context: PasswordContext = {}): string[] {
  const problems: string[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (chars.length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) problems.push("is too common");
  if (new Set(chars).size < 4) problems.push("must use at least 4 different characters");
  const identifiers = [context.username, context.email?.split("@")[0]]
    .filter((s): s is string => !!s && s.length >= 3)
    .map((s) => s.toLowerCase());
  if (identifiers.some((id) => lower.includes(id))) problems.push("must not contain your username or email");
  return problems;
}

import { getConfig } from "../../../lib/config";
import { scryptForCost, type ScryptParams } from "./password-hash";

/** The scrypt parameters new password hashes get (PASSWORD_HASH_COST; test runs lower it, production refuses that). */
export function passwordParams(): ScryptParams {
  return scryptForCost(getConfig().auth.passwordHashCost);
}

/**
 * identity's actions on whole accounts, wired as the service declares them:
 * deleting one (the user's own, or an admin's), suspending and reinstating,
 * and exporting what every service holds of a user. Kept out of
 * identity.service.ts so that file stays a short wiring of groups; the
 * logic is in the files imported here.
 */
import type { ServiceActions } from "../../../lib/contracts";
import { USER_DATA_PARAMS } from "../../../lib/contracts/user-data";
import { deleteAccount, deleteUser } from "./account-deletion";
import { exportAccount, exportUserData } from "./account-export";
import type { IdentityThis } from "./identity.context";
import * as P from "./identity.params";
import { getSuspension, suspendUser, suspensionStates, unsuspendUser } from "./suspension";

export const ACCOUNT_ADMIN_ACTIONS = {
  /** Deletes the caller's account (password and, with MFA, a code); publishes user.deleted. */
  deleteAccount: {
    params: P.DELETE_ACCOUNT,
    handler(ctx) {
      return deleteAccount(this, ctx);
    },
  },

  /** Admin: deletes another user's account; publishes user.deleted. */
  deleteUser: {
    params: P.BY_USER,
    handler(ctx) {
      return deleteUser(this, ctx);
    },
  },

  /** Internal (moderation's routes, which audit it): an admin suspends a user. */
  suspendUser: {
    visibility: "public" as const,
    params: P.SUSPEND,
    handler(ctx) {
      return suspendUser(this, ctx);
    },
  },

  /** Internal (moderation's routes, which audit it): an admin lifts a suspension. */
  unsuspendUser: {
    visibility: "public" as const,
    params: P.UNSUSPEND,
    handler(ctx) {
      return unsuspendUser(this, ctx);
    },
  },

  /** Internal (search's reindex): suspension state and version of the users that ever had one. */
  suspensions: {
    params: P.BY_USERS,
    handler(ctx) {
      return suspensionStates(this, ctx);
    },
  },

  /** Internal: an admin reads a user's suspension. */
  suspension: {
    visibility: "public" as const,
    params: P.BY_USER,
    handler(ctx) {
      return getSuspension(this, ctx);
    },
  },

  /** The caller's data from every service, as one JSON archive. */
  exportAccount: {
    params: P.NONE,
    handler(ctx) {
      return exportAccount(this, ctx);
    },
  },

  /** Internal: what identity holds of a user, for the export. */
  exportUserData: {
    visibility: "public" as const,
    params: USER_DATA_PARAMS,
    handler(ctx) {
      return exportUserData(this, ctx);
    },
  },
} satisfies Partial<ServiceActions<"identity", IdentityThis>>;

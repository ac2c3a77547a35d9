// Signed media URLs checked at the edge (njs), the same way the api nodes check
// them (lib/media/signed-url.ts, verifyMediaGrant): the query carries a grant
// for a path prefix, p=<prefix>&exp=<unix seconds>&sig=<HMAC-SHA256 of
// "<prefix>\n<exp>", base64url>, keyed by MEDIA_URL_SECRET (the edge reads it
// as EDGE_MEDIA_URL_SECRET). nginx.conf.template answers 403 for anything but
// "ok", so a tampered, expired or misplaced URL never reaches a node, and a
// good one may be served from the edge's cache.
//
// Written for njs 0.7 (Debian bookworm's libnginx-mod-http-js): ES5 plus
// what njs adds; r.args values are already percent-decoded.
var crypto = require("crypto");

var SECRET = process.env.EDGE_MEDIA_URL_SECRET || "";
// As the node's own limit on grant values (services/edge/api/media-direct.ts).
var MAX_VALUE = 1024;

function single(value) {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_VALUE) return null;
  return value;
}

// Compares every character whatever the first difference: the time taken says nothing about the signature.
function sameString(a, b) {
  if (a.length !== b.length) return false;
  var diff = 0;
  for (var i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

// "ok", or why the URL is refused (missing, bad-signature, expired, wrong-path, no-secret).
function check(r) {
  if (!SECRET) return "no-secret";
  var prefix = single(r.args.p);
  var exp = single(r.args.exp);
  var sig = single(r.args.sig);
  if (prefix === null || exp === null || sig === null) return "missing";
  var expiresAt = Number(exp);
  if (!Number.isInteger(expiresAt)) return "missing";
  var expected = crypto
    .createHmac("sha256", SECRET)
    .update(prefix + "\n" + String(expiresAt))
    .digest("base64url");
  if (!sameString(expected, sig)) return "bad-signature";
  if (expiresAt < Math.floor(Date.now() / 1000)) return "expired";
  // r.uri is nginx's normalized path (dot segments resolved, slashes merged): the grant's folder or below.
  var path = r.uri;
  if (path.indexOf("..") !== -1 || prefix.indexOf("/media/") !== 0 || path.indexOf(prefix) !== 0) return "wrong-path";
  return "ok";
}

export default { check };

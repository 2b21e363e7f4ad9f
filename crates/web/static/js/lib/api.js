// The JSON API from the browser: `api(method, path, body)` sends the session cookie and the
// CSRF token and answers the parsed JSON, or throws an `ApiError` with the server's
// `{code, message, field?}`. Imports nothing, so every module may import it.

/** The session's CSRF token, from `<meta name="csrf-token">` ("" when there is none). */
export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta?.getAttribute("content") ?? "";
}

/**
 * An error answer of the JSON API, which sends `{code, message, field?}` (`message` is for the
 * user, in their language). Network failures have status 0 and code "network".
 */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, or 0 when the request never got an answer.
   * @param {string} code Stable machine-readable code, e.g. "invalid_phone".
   * @param {string} message Message for the user.
   * @param {string | undefined} [field] The input field the error is about, if any.
   * @param {number | undefined} [retryAfter] Seconds from the `Retry-After` header, if any.
   */
  constructor(status, code, message, field, retryAfter) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

/**
 * @param {unknown} value
 * @returns {value is {code: string, message: string, field?: string}}
 */
function isErrorBody(value) {
  if (typeof value !== "object" || value === null) return false;
  const body = /** @type {Record<string, unknown>} */ (value);
  return typeof body.code === "string" && typeof body.message === "string";
}

/**
 * Call the JSON API. Sends `body` as JSON (when given), the CSRF token and the session cookie;
 * answers the parsed JSON, or null for an empty answer (204).
 * @param {"GET" | "POST" | "PUT" | "PATCH" | "DELETE"} method
 * @param {string} path e.g. "/api/v1/auth/code"
 * @param {unknown} [body]
 * @returns {Promise<any>}
 * @throws {ApiError}
 */
export async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  const token = csrfToken();
  if (token) headers["X-CSRF-Token"] = token;
  /** @type {RequestInit} */
  const init = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }

  /** @type {Response} */
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, "network", err instanceof Error ? err.message : String(err));
  }

  const text = resp.status === 204 ? "" : await resp.text();
  /** @type {unknown} */
  let data = null;
  if (text && (resp.headers.get("Content-Type") ?? "").includes("json")) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (!resp.ok) {
    const retry = Number.parseInt(resp.headers.get("Retry-After") ?? "", 10);
    const retryAfter = Number.isFinite(retry) ? retry : undefined;
    if (isErrorBody(data)) {
      throw new ApiError(resp.status, data.code, data.message, data.field ?? undefined, retryAfter);
    }
    const message = `${resp.status} ${resp.statusText}`.trim();
    throw new ApiError(resp.status, `http_${resp.status}`, message, undefined, retryAfter);
  }
  return data;
}

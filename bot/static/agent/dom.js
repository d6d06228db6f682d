// Helpers shared by the console's modules: words, DOM building, JSON calls,
// formats. Every string that reaches the page goes through textContent or a
// text node: customers write half of what the console shows (never as markup).

const TEXTS = JSON.parse(document.getElementById("console-texts").textContent);
export const LANGUAGE = document.body.dataset.language === "en" ? "en" : "fr";
const LOCALE = LANGUAGE === "en" ? "en-GB" : "fr-FR";

/** The console text `key` with its {placeholders} filled from `values`. */
export function t(key, values = {}) {
  const text = TEXTS[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    name in values ? String(values[name]) : whole,
  );
}

/** A store code in words ("status_" + "in_transit"), or the code made readable. */
export function label(prefix, code) {
  if (code === null || code === undefined || code === "") return "";
  return TEXTS[prefix + code] ?? String(code).replaceAll("_", " ");
}

/** The codes the catalogue has words for under `prefix` (return reasons...). */
export function codes(prefix) {
  return Object.keys(TEXTS)
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length));
}

/**
 * A new element. `attrs`: testid, dataset, text, on<event> listeners, and
 * plain attributes (false/null/undefined leave them out). Children are nodes
 * or strings (strings become text nodes, never markup).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "testid") node.dataset.testid = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "text") node.textContent = String(value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  return appendAll(node, children);
}

/** Append `children` (nested arrays, nodes, strings; null and false skipped). */
export function appendAll(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace what `node` holds with `children`, as `el` takes them. */
export function fill(node, ...children) {
  node.replaceChildren();
  return appendAll(node, children);
}

/** The element with `data-testid="<testid>"` under `root`. */
export function byTestId(testid, root = document) {
  return root.querySelector(`[data-testid="${testid}"]`);
}

/** An error the hub answered with `{"error": code, "message": text}`. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Call the console API; resolves to the JSON reply, rejects with an ApiError. */
export async function api(method, path, body) {
  const options = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let reply;
  try {
    reply = await fetch(path, options);
  } catch (error) {
    throw new ApiError(0, "network", t("console_offline"));
  }
  const type = reply.headers.get("content-type") || "";
  const data = type.includes("application/json") ? await reply.json() : null;
  if (reply.status === 401) {
    // The session ended (logout elsewhere, expiry): back to the login page.
    window.location.assign(`/agent/login?lang=${LANGUAGE}`);
  }
  if (!reply.ok) {
    const message = data?.message ?? data?.detail ?? reply.statusText;
    throw new ApiError(reply.status, data?.error ?? "unexpected", String(message));
  }
  return data;
}

let noticeTimer = null;

/** Show what went wrong, as the hub phrased it, until the next success. */
export function showError(error) {
  const box = byTestId("console-error");
  const text = error instanceof ApiError ? error.message : String(error?.message ?? error);
  box.textContent = t("console_error", { message: text });
  box.hidden = false;
  byTestId("console-notice").hidden = true;
  if (error instanceof Error && !(error instanceof ApiError)) console.error(error);
}

/** Say that an action worked; `extra` nodes (a label link) follow the text. */
export function showNotice(text, ...extra) {
  byTestId("console-error").hidden = true;
  const box = byTestId("console-notice");
  fill(box, text, extra);
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    box.hidden = true;
  }, 15000);
}

/** Run `action` (async) from a button: disabled meanwhile, errors shown. */
export async function act(button, action) {
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (error) {
    showError(error);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

export function formatMoment(iso) {
  if (!iso) return "";
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return String(iso);
  return when.toLocaleString(LOCALE, { dateStyle: "short", timeStyle: "short" });
}

export function formatDay(iso) {
  if (!iso) return "";
  const when = new Date(iso.length === 10 ? `${iso}T12:00:00` : iso);
  if (Number.isNaN(when.getTime())) return String(iso);
  return when.toLocaleDateString(LOCALE, { day: "numeric", month: "long", year: "numeric" });
}

export function formatMoney(amount, currency = "EUR") {
  if (amount === null || amount === undefined) return "";
  const value = Number(amount);
  if (Number.isNaN(value)) return String(amount);
  return new Intl.NumberFormat(LOCALE, { style: "currency", currency: currency || "EUR" }).format(
    value,
  );
}

/** "4:05" or "1:02:09": how long someone has waited. */
export function formatDuration(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}

/** `url` if it is an http(s) link, else null (never a javascript: URL in href). */
export function safeUrl(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A moment as milliseconds, to compare the same message from two sources. */
export function instant(iso) {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? String(iso) : String(ms);
}

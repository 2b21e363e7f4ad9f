// The brochure editor's image upload, progressively enhanced. Without this script the
// "upload and insert" button submits the whole form, the server stores the image and appends
// it to the content. With it, the image goes to the JSON API and its `[[image:…]]` line is
// inserted where the cursor is, without leaving the page.

import { ApiError, csrfToken } from "./api.js";

/**
 * Inserts `marker` at the textarea's cursor as a paragraph of its own: one blank line before
 * and after it, as the content rules ask.
 * @param {HTMLTextAreaElement} area
 * @param {string} marker
 */
export function insertParagraph(area, marker) {
  const start = area.selectionStart ?? area.value.length;
  const end = area.selectionEnd ?? start;
  const before = area.value.slice(0, start).replace(/\s+$/u, "");
  const after = area.value.slice(end).replace(/^\s+/u, "");
  const head = before ? `${before}\n\n` : "";
  const tail = after ? `\n\n${after}` : "";
  area.value = head + marker + tail;
  const caret = head.length + marker.length;
  area.setSelectionRange(caret, caret);
  area.dispatchEvent(new Event("input", { bubbles: true }));
  area.focus();
}

/**
 * Sends the chosen image to the API; answers its `{url, marker}`.
 * @param {File} file
 * @returns {Promise<{url: string, marker: string}>}
 * @throws {ApiError}
 */
async function upload(file) {
  const body = new FormData();
  body.append("image", file, file.name);
  /** @type {Response} */
  let resp;
  try {
    resp = await fetch("/api/v1/employer/brochures/images", {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRF-Token": csrfToken() },
      credentials: "same-origin",
      body,
    });
  } catch (err) {
    throw new ApiError(0, "network", err instanceof Error ? err.message : String(err));
  }
  /** @type {any} */
  let data = null;
  try {
    data = await resp.json();
  } catch {
    data = null;
  }
  if (!resp.ok) {
    const message =
      data && typeof data.message === "string" ? data.message : `${resp.status} ${resp.statusText}`;
    const code = data && typeof data.code === "string" ? data.code : `http_${resp.status}`;
    throw new ApiError(resp.status, code, message, data?.field ?? undefined);
  }
  if (!data || typeof data.marker !== "string" || typeof data.url !== "string") {
    throw new ApiError(resp.status, "bad_answer", `${resp.status} ${resp.statusText}`);
  }
  return { url: data.url, marker: data.marker };
}

/** Sends the image of `#brochure-image` to the API and inserts its line into `#brochure-content`. */
export function enhanceImageUpload() {
  const button = document.getElementById("brochure-upload");
  const input = document.getElementById("brochure-image");
  const area = document.getElementById("brochure-content");
  const error = document.getElementById("brochure-image-error");
  const status = document.getElementById("brochure-image-status");
  if (
    !(button instanceof HTMLButtonElement) ||
    !(input instanceof HTMLInputElement) ||
    !(area instanceof HTMLTextAreaElement) ||
    !error ||
    !status
  ) {
    return;
  }
  // The caret is lost when the file picker takes focus; remember where it was.
  /** @type {[number, number]} */
  let caret = [area.value.length, area.value.length];
  const remember = () => {
    caret = [area.selectionStart, area.selectionEnd];
  };
  for (const type of ["keyup", "click", "select", "input"]) {
    area.addEventListener(type, remember);
  }

  button.addEventListener("click", async (event) => {
    const file = input.files?.[0];
    // No file chosen: let the form go to the server, which says what is missing.
    if (!file) return;
    event.preventDefault();
    const label = button.textContent ?? "";
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.textContent = button.dataset.busy ?? label;
    error.textContent = "";
    status.textContent = "";
    try {
      const { marker } = await upload(file);
      area.setSelectionRange(caret[0], caret[1]);
      insertParagraph(area, marker);
      remember();
      input.value = "";
      status.textContent = button.dataset.done ?? "";
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String(err);
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      button.textContent = label;
    }
  });
}

// Attachments: checked here first, then each one asked for, POSTed straight to storage and
// confirmed, with its progress on a line of its own.

import { api, refusal } from "./api.js";
import { h } from "./elements.js";
import { t } from "./i18n.js";
import { onLanguage } from "./page.js";

const ALLOWED_TYPES = ["image/jpeg", "image/png", "application/pdf", "text/plain"];
const MAX_FILES = 10;
const MAX_BYTES = 10 * 1024 * 1024;

// The problem with the chosen files, as field errors, or null.
export function checkFiles(files, already = 0) {
  if (files.length + already > MAX_FILES) return { attachments: { key: "err.file_count" } };
  for (const file of files) {
    if (!ALLOWED_TYPES.includes(file.type)) {
      return { attachments: { key: "err.file_type", vars: { name: file.name } } };
    }
    if (file.size < 1 || file.size > MAX_BYTES) {
      return { attachments: { key: "err.file_size", vars: { name: file.name } } };
    }
  }
  return null;
}

async function uploadFile(number, token, file, show) {
  show("requesting");
  const grant = await api.grant(number, token, {
    filename: file.name, content_type: file.type, size_bytes: file.size,
  });
  if (grant.status !== 201) throw new Error(refusal(grant));
  show("uploading");
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.data.upload.fields)) form.append(name, value);
  form.append("file", file); // storage wants the file last
  const stored = await fetch(grant.data.upload.url, { method: "POST", body: form });
  if (!stored.ok) throw new Error(`storage answered ${stored.status}`);
  const confirmed = await api.confirm(grant.data.confirm_url, token);
  if (confirmed.status !== 200) throw new Error(refusal(confirmed));
  show("done");
}

function stateText(code, detail) {
  return `${t(`upload.${code}`)}${detail ? `${t("colon")}${detail}` : ""}`;
}

// Uploads one file after another, each with a line in `list`; returns how many failed.
export async function uploadAll(number, token, files, list) {
  const rows = Array.from(files, (file) => {
    const state = h("span", { className: "state" });
    list.append(h("li", {}, h("span", {}, file.name), state));
    const show = (code, detail) => {
      state.dataset.state = code;
      state.dataset.code = code;
      state.dataset.detail = detail || "";
      state.textContent = stateText(code, detail);
    };
    show("waiting");
    return { file, show };
  });
  let failed = 0;
  for (const { file, show } of rows) {
    try {
      await uploadFile(number, token, file, show);
    } catch (error) {
      failed += 1;
      show("failed", error.message);
    }
  }
  return failed;
}

onLanguage(() => {
  document.querySelectorAll("#upload-list .state[data-code]").forEach((el) => {
    el.textContent = stateText(el.dataset.code, el.dataset.detail);
  });
});

export function sizeText(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

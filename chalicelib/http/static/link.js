// Where a complaint's number and tracking token come from: the link that was followed (an
// e-mail, a text message, the receipt), else what this tab kept from an earlier page.

const LAST = "complaint-last";
const tokenKey = (number) => `complaint-token:${number}`;

export function keep(number, token) {
  try {
    sessionStorage.setItem(tokenKey(number), token);
    sessionStorage.setItem(LAST, number);
  } catch (_) { /* not kept */ }
}

function kept(key) {
  try { return sessionStorage.getItem(key) || ""; } catch (_) { return ""; }
}

// Take number and token from the query string, then drop the token from the address bar
// so that it stays out of history and bookmarks.
function fromQuery() {
  const url = new URL(location.href);
  // `n` and `t` are the short forms text messages use (two SMS segments are tight).
  const param = (long, short) => (url.searchParams.get(long) || url.searchParams.get(short) || "").trim();
  const number = param("number", "n");
  const token = param("token", "t");
  if (url.searchParams.has("token") || url.searchParams.has("t")) {
    url.searchParams.delete("token");
    url.searchParams.delete("t");
    history.replaceState(null, "", url);
  }
  return { number, token };
}

export function given() {
  const query = fromQuery();
  const number = query.number || kept(LAST);
  return { number, token: query.token || (number ? kept(tokenKey(number)) : "") };
}

export const trackUrl = (number) => `/track?number=${encodeURIComponent(number)}`;

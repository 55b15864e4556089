// The console's settings, written into the page by the server (chalicelib/http/console.py).
export const config = JSON.parse(document.getElementById("console-config").textContent);

/** Server-rendered HTML for the review console: escaping and the page frame. No inline script or style. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const part = Array.isArray(v) ? v.map((x) => (x instanceof Html ? x.text : esc(x))).join('') : v instanceof Html ? v.text : esc(v);
    out += part + strings[i + 1]!;
  });
  return new Html(out);
}

export function page(title: string, body: Html, user?: { username: string; csrfToken: string }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Review console</title>
<link rel="stylesheet" href="/console/assets/console.css">
</head>
<body>
<header class="bar">
  <nav><a class="brand" href="/console/sessions">Review console</a><a href="/console/sessions">Review queue</a><a href="/console/sessions?verificationStatus=">All sessions</a></nav>
  ${
    user
      ? html`<form method="post" action="/console/logout" class="logout"><span>${user.username}</span><input type="hidden" name="csrf" value="${user.csrfToken}"><button type="submit">Sign out</button></form>`
      : ''
  }
</header>
<main>
${body}
</main>
</body>
</html>`.text;
}
